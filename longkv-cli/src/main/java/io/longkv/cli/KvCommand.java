package io.longkv.cli;

import picocli.CommandLine.Command;

@Command(name = "kv", mixinStandardHelpOptions = true, description = "KV cache methods.", subcommands = KvListCommand.class)
final class KvCommand {
}
