from glutlint.cli import main

raise SystemExit(main())
