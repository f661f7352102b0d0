import BarometreCLI

// The executable is only an entry point; every command lives in BarometreCLI.
@main
extension BarometreCommand {}
