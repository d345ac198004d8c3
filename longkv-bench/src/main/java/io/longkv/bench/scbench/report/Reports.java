package io.longkv.bench.scbench.report;

import io.longkv.bench.scbench.run.ResultLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes summary.csv, summary.md and report.html next to a run's results.jsonl. */
public final class Reports {
    private Reports() {
    }

    /** @return the summary the reports were made from */
    public static Summary write(ResultLog log, Path directory, String command) throws IOException {
        Summary summary = new Summary(log.read());
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("summary.csv"), CsvReport.render(summary));
        Files.writeString(directory.resolve("summary.md"), MarkdownReport.render(summary, command));
        Files.writeString(directory.resolve("report.html"), HtmlReport.render(summary, command));
        return summary;
    }
}
