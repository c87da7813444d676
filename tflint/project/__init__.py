"""The project: what every linted file tells about its calls and entry points (summary), joined into
one call graph (index), which then judges the findings no model of their own file reaches (settle)."""
