from sparkads.cli.main import main

main()
