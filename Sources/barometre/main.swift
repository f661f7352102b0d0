import BarometreCLI

await BarometreCommand.main()
