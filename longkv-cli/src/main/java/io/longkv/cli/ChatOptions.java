package io.longkv.cli;

import io.longkv.model.Model;
import io.longkv.tokenizer.ChatTemplate;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The chat template (the model's own unless overridden) and an optional system message. */
final class ChatOptions {
    @Option(names = "--chat-template", paramLabel = "FILE", description = "Jinja chat template file to use instead of the model's.")
    Path templateFile;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message for chat.")
    String system;

    ChatTemplate template(Model model) throws IOException {
        return templateFile != null ? ChatTemplate.fromFile(templateFile, model.gguf().metadata())
                : ChatTemplate.fromGguf(model.gguf().metadata());
    }
}
