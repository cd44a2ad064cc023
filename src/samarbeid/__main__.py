from samarbeid.cli import main

raise SystemExit(main())
