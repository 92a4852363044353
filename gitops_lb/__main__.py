from gitops_lb.cli import main

raise SystemExit(main())
