//! The CLI's surface: completions for every shell clap_complete knows, an example in every
//! command's help, `cel eval` of expressions starting with `-`.

use crate::support::TestCommand;

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_iamlab()"),
        ("zsh", "#compdef iamlab"),
        ("fish", "complete -c iamlab"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[iamlab]"),
    ] {
        let script = TestCommand::new().args(["completions", shell]).stdout();
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("terraform") && script.contains("provider"),
            "{shell} completes the commands and flags"
        );
    }
    let finished = TestCommand::new().args(["completions", "tcsh"]).assert_exit(2);
    assert!(finished.stderr.contains("invalid value 'tcsh'"), "{}", finished.stderr);
}

#[test]
fn every_command_has_an_example_in_its_help() {
    for command in [
        &["validate"][..],
        &["simulate"],
        &["test"],
        &["fmt"],
        &["schema"],
        &["terraform"],
        &["pull"],
        &["completions"],
        &["cel", "eval"],
    ] {
        let help = TestCommand::new().args(command).arg("--help").stdout();
        assert!(
            help.contains("Example:\n  iamlab ")
                || help.contains("Example:\n  terraform ")
                || help.contains("Example:\n  EXOSCALE_API_KEY"),
            "{command:?}:\n{help}"
        );
    }
}

#[test]
fn cel_eval_takes_expressions_that_start_with_a_minus() {
    assert_eq!(TestCommand::new().args(["cel", "eval", "-5 / 2"]).stdout(), "-2\n");
    let value = TestCommand::new().args(["cel", "eval", "-5", "--format", "json"]).assert_exit(0).json();
    assert_eq!(value, serde_json::json!({"value": -5}));
    // A flag the command knows is still a flag.
    let finished = TestCommand::new().args(["cel", "eval", "--explain", "-(1 + 2)"]).assert_exit(0);
    assert!(finished.stdout.ends_with("-3\n"), "{}", finished.stdout);
}
