package io.longkv.cli;

import picocli.CommandLine.Command;

@Command(name = "model", description = "Fetch and inspect GGUF models.",
        subcommands = {ModelFetchCommand.class, ModelInfoCommand.class})
final class ModelCommand {
}
