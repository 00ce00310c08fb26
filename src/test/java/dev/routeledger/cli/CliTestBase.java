package dev.routeledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs CLI commands in-process and keeps what they printed, as a user's terminal would show it. */
abstract class CliTestBase {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        err.reset();
        return new Cli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    JsonNode json() throws Exception {
        return Output.JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
