//! The `fairpanel` command. Kept thin: everything lives in the library so that
//! tests call the same code.

fn main() -> std::process::ExitCode {
    fairpanel::cli::main()
}
