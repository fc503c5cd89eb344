package org.gridgov.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One answer of a completion: the check item's key, its value (JSON) and its photos. */
public record Answer(String check, JsonNode value, List<Long> mediaIds) {}
