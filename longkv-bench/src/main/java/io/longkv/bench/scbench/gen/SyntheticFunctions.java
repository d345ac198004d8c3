package io.longkv.bench.scbench.gen;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Small functions in Python, Java and Go with a description of what each does, for the RepoQA stand-in.
 * A function's name and parameter are random words and its constant is random, so the description (which
 * names the behaviour and the constant, never the function) points at exactly one function.
 */
final class SyntheticFunctions {
    static final List<String> LANGUAGES = List.of("python", "java", "go");

    record Function(String name, String code, String description) {
    }

    /** A behaviour: its description and its code per language; %1$s name, %2$s parameter, %3$d constant. */
    private record Kind(String description, String python, String java, String go) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("Counts how many numbers in the given list are greater than %3$d and returns that count.",
                    "def %1$s(%2$s):\n    count = 0\n    for value in %2$s:\n        if value > %3$d:\n            count += 1\n    return count\n",
                    "static int %1$s(int[] %2$s) {\n    int count = 0;\n    for (int value : %2$s) {\n        if (value > %3$d) {\n            count++;\n        }\n    }\n    return count;\n}\n",
                    "func %1$s(%2$s []int) int {\n\tcount := 0\n\tfor _, value := range %2$s {\n\t\tif value > %3$d {\n\t\t\tcount++\n\t\t}\n\t}\n\treturn count\n}\n"),
            new Kind("Returns the sum of the squares of the numbers in the given list, multiplied by %3$d.",
                    "def %1$s(%2$s):\n    total = 0\n    for value in %2$s:\n        total += value * value\n    return total * %3$d\n",
                    "static long %1$s(int[] %2$s) {\n    long total = 0;\n    for (int value : %2$s) {\n        total += (long) value * value;\n    }\n    return total * %3$d;\n}\n",
                    "func %1$s(%2$s []int) int {\n\ttotal := 0\n\tfor _, value := range %2$s {\n\t\ttotal += value * value\n\t}\n\treturn total * %3$d\n}\n"),
            new Kind("Returns the position of the first number equal to %3$d in the given list, or -1 when there is none.",
                    "def %1$s(%2$s):\n    for index, value in enumerate(%2$s):\n        if value == %3$d:\n            return index\n    return -1\n",
                    "static int %1$s(int[] %2$s) {\n    for (int i = 0; i < %2$s.length; i++) {\n        if (%2$s[i] == %3$d) {\n            return i;\n        }\n    }\n    return -1;\n}\n",
                    "func %1$s(%2$s []int) int {\n\tfor i, value := range %2$s {\n\t\tif value == %3$d {\n\t\t\treturn i\n\t\t}\n\t}\n\treturn -1\n}\n"),
            new Kind("Limits the given number to the range from 0 to %3$d and returns the limited value.",
                    "def %1$s(%2$s):\n    if %2$s < 0:\n        return 0\n    if %2$s > %3$d:\n        return %3$d\n    return %2$s\n",
                    "static int %1$s(int %2$s) {\n    if (%2$s < 0) {\n        return 0;\n    }\n    return Math.min(%2$s, %3$d);\n}\n",
                    "func %1$s(%2$s int) int {\n\tif %2$s < 0 {\n\t\treturn 0\n\t}\n\tif %2$s > %3$d {\n\t\treturn %3$d\n\t}\n\treturn %2$s\n}\n"));

    private static final List<String> VERBS = List.of("compute", "scan", "measure", "fold", "tally", "probe", "gather", "weigh");

    private SyntheticFunctions() {
    }

    static Function random(Random random, String language) {
        Kind kind = Texts.pick(random, KINDS);
        String verb = Texts.pick(random, VERBS);
        String noun = Texts.pick(random, Texts.NOUNS);
        String adjective = Texts.pick(random, Texts.ADJECTIVES);
        String name = language.equals("python") ? verb + "_" + adjective + "_" + noun
                : verb + capitalize(adjective) + capitalize(noun);
        String parameter = Texts.pick(random, Texts.NOUNS) + (language.equals("python") ? "_values" : "Values");
        int constant = 2 + random.nextInt(998);
        String template = switch (language) {
            case "python" -> kind.python();
            case "java" -> kind.java();
            case "go" -> kind.go();
            default -> throw new IllegalArgumentException("no synthetic functions in " + language);
        };
        return new Function(name, String.format(Locale.ROOT, template, name, parameter, constant),
                String.format(Locale.ROOT, kind.description(), name, parameter, constant));
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
