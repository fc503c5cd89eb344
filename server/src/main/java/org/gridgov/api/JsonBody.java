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
}
