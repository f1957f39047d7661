import sys

from roleplay.cli.main import main

sys.exit(main())
