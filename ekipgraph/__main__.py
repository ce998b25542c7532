from ekipgraph.cli import main

main()
