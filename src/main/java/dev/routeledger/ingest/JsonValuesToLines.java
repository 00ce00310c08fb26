package dev.routeledger.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites a JSON document (an array of records, one object, or several values one after another) as one
 * value per line, for the files DuckDB's JSON reader refuses whole: it cannot skip a parse error outside
 * newline-delimited JSON. Jackson reads leniently what exporters really write — a trailing comma before the
 * closing bracket (Helicone's export tool), {@code #} and {@code //} comments (documentation snippets). Where
 * the document stops being JSON, the rest becomes one line that is not JSON, so it is rejected with a reason and
 * counted rather than lost.
 */
final class JsonValuesToLines {
    private static final JsonFactory LENIENT = JsonFactory.builder()
        .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
        .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
        .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();

    private JsonValuesToLines() {}

    /** @return the number of lines written */
    static long rewrite(SourceFile file, Path out) throws IOException {
        long lines = 0;
        try (InputStream in = file.openText(); JsonParser p = LENIENT.createParser(in);
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            try {
                JsonToken t = p.nextToken();
                boolean array = t == JsonToken.START_ARRAY;
                if (array) t = p.nextToken();
                while (t != null && !(array && t == JsonToken.END_ARRAY)) {
                    StringWriter one = new StringWriter();
                    try (JsonGenerator g = LENIENT.createGenerator(one)) {
                        g.copyCurrentStructure(p);
                    }
                    w.write(one.toString());
                    w.write('\n');
                    lines++;
                    t = p.nextToken();
                }
            } catch (JsonProcessingException e) {
                // not JSON from here on: one line that the reader rejects, naming where the document broke
                w.write("malformed JSON from line " + e.getLocation().getLineNr() + " to the end of the file: " + e.getOriginalMessage()
                    .replace('\n', ' '));
                w.write('\n');
                lines++;
            }
        }
        return lines;
    }
}
