package io.longkv.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.longkv.gguf.GgufMetadata;
import jinjava.javax.el.CompositeELResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A model's chat template ({@code tokenizer.chat_template}, Jinja2) rendered with Jinjava set up like the
 * environment Hugging Face's {@code apply_chat_template} uses: {@code trim_blocks}, {@code lstrip_blocks},
 * {@code raise_exception}, {@code strftime_now}, a Python-style {@code tojson}, and Python string / dict
 * methods. Variables: {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}.
 */
public final class ChatTemplate {
    private static final Jinjava JINJA = environment();

    private final String source;
    private final String bosToken;
    private final String eosToken;

    private ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = Objects.requireNonNull(source, "template");
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /** The template embedded in the model. */
    public static ChatTemplate fromGguf(GgufMetadata md) {
        String source = md.getString("tokenizer.chat_template", null);
        if (source == null) {
            throw new IllegalArgumentException("the model has no tokenizer.chat_template: give a template explicitly "
                    + "(ChatTemplate.of(template, metadata) or ChatTemplate.fromFile(path, metadata))");
        }
        return of(source, md);
    }

    /** An explicit template, with the model's BOS / EOS token texts. */
    public static ChatTemplate of(String source, GgufMetadata md) {
        return of(source, tokenText(md, "bos"), tokenText(md, "eos"));
    }

    /** An explicit template read from a file, with the model's BOS / EOS token texts. */
    public static ChatTemplate fromFile(Path file, GgufMetadata md) throws IOException {
        return of(Files.readString(file, StandardCharsets.UTF_8), md);
    }

    /** An explicit template; a null token text leaves that variable undefined (renders as empty). */
    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        return new ChatTemplate(source, bosToken, eosToken);
    }

    public String source() {
        return source;
    }

    /**
     * The prompt text of a conversation; special tokens in it are meant to be encoded with {@code parseSpecial}.
     *
     * @param addGenerationPrompt end with the header that starts the assistant's reply
     * @throws IllegalArgumentException when the template raises an exception (e.g. roles that do not alternate) or fails
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Map<String, Object> context = new HashMap<>();
        context.put("messages", messages.stream().map(ChatTemplate::asMap).toList());
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result = JINJA.renderForResult(source, context);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (!fatal.isEmpty()) {
            // Jinja2 stops at the template's first raise_exception; Jinjava renders on and collects every error.
            String message = fatal.stream().map(ChatTemplate::raisedMessage).filter(Objects::nonNull).findFirst()
                    .orElseGet(() -> fatal.stream().map(e -> e.getMessage() + " (line " + e.getLineno() + ")")
                            .collect(Collectors.joining("; ")));
            throw new IllegalArgumentException("chat template failed: " + message);
        }
        return result.getOutput();
    }

    private static Map<String, Object> asMap(ChatMessage m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", m.role());
        map.put("content", m.content());
        return map;
    }

    /** The message of the template's own raise_exception, or null for another error. */
    private static String raisedMessage(TemplateError e) {
        Throwable cause = e.getException();
        while (cause != null && !(cause instanceof TemplateFunctions.TemplateRaised)) {
            cause = cause.getCause();
        }
        return cause == null ? null : cause.getMessage();
    }

    private static String tokenText(GgufMetadata md, String name) {
        String key = "tokenizer.ggml." + name + "_token_id";
        if (!md.contains(key)) {
            return null;
        }
        String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
        long id = md.getLong(key);
        return id >= 0 && id < tokens.length ? tokens[(int) id] : null;
    }

    private static Jinjava environment() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        Jinjava jinja = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder() // Jinja2's semantics where Jinjava has its own
                        .withUseTrimmingForNotesAndExpressions(true) // {{- x -}} trims like {%- -%}
                        .withParseWhitespaceControlStrictly(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withKeepNullableLoopValues(true)
                        .withUsePyishObjectMapper(true)
                        .build())
                .build());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                TemplateFunctions.class, "raiseException", String.class));
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                TemplateFunctions.class, "strftimeNow", String.class));
        jinja.getGlobalContext().registerFilter(new PythonJson());
        return jinja;
    }
}
