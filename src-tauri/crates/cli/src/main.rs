fn main() {
    std::process::exit(cli::run_logged(std::env::args_os()));
}
