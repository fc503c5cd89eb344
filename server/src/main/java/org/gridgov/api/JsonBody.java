package org.gridgov.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads a request body as a JSON object, strictly: NaN/Infinity literals, duplicate keys, comments
 * and trailing garbage are all refused with the position where the parser stopped.
 */
public final class JsonBody {

    private static final ObjectMapper STRICT =
            JsonMapper.builder()
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private JsonBody() {}

    public static ObjectNode object(Buffer body) {
        if (body == null || body.length() == 0)
            throw new ProblemException(
                    Problem.malformed("the request body is empty; a JSON object is expected"));
        JsonNode node;
        try {
            node = STRICT.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where =
                    loc == null
                            ? ""
                            : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new ProblemException(Problem.malformed(e.getOriginalMessage() + where));
        } catch (IOException e) {
            throw new ProblemException(Problem.malformed(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(
                    Problem.malformed(
                            "a JSON object is expected, found "
                                    + (node == null
                                            ? "nothing"
                                            : node.getNodeType().name().toLowerCase())));
        }
        return (ObjectNode) node;
    }

    /**
     * A text field of a request object, or null when absent or null; refused (422, at pointer) when
     * it is not a string, longer than max characters or holds a NUL.
     */
    public static String optionalText(ObjectNode o, String name, String pointer, int max) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual())
            throw invalidField(pointer, "'" + name + "' must be a string, found " + kind(n));
        String s = n.asText();
        if (s.length() > max)
            throw invalidField(
                    pointer, "'" + name + "' is " + s.length() + " characters; at most " + max);
        if (s.indexOf('\0') >= 0)
            throw invalidField(pointer, "'" + name + "' must not contain NUL characters");
        return s;
    }

    /** What a JSON value is, for a refusal: "string", "number", "object", … or "nothing". */
    public static String kind(JsonNode n) {
        return n == null ? "nothing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static ProblemException invalidField(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
