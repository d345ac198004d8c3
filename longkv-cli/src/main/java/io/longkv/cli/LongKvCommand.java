package io.longkv.cli;

import io.longkv.gguf.GgufFormatException;
import io.longkv.store.ModelFetchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code longkv} command. */
@Command(name = "longkv", mixinStandardHelpOptions = true, versionProvider = LongKvCommand.Version.class,
        description = "Long-context LLM inference on the JVM with a compressible KV cache.",
        subcommands = {GenerateCommand.class, ChatCommand.class, LogitsCommand.class, PerplexityCommand.class,
                BenchCommand.class, KvCommand.class, ModelCommand.class, ProfileCommand.class, CommandLine.HelpCommand.class})
public final class LongKvCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LongKvCommand());
        cli.setExecutionExceptionHandler(LongKvCommand::reportError);
        return cli;
    }

    /** Expected failures (bad files, bad input, failed downloads) print one line, not a stack trace. */
    private static int reportError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean expected = e instanceof GgufFormatException || e instanceof ModelFetchException
                || e instanceof IllegalArgumentException || e instanceof NoSuchElementException
                || e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalStateException;
        if (!expected || System.getenv("LONGKV_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().println("error: " + e.getMessage());
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LongKvCommand.class.getPackage().getImplementationVersion();
            return new String[] {"longkv " + (version == null ? "dev" : version) + " on Java " + Runtime.version()};
        }
    }
}
