from tflint.frontends.cli import main

raise SystemExit(main())
