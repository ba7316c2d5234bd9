package com.mlplatform.logexport.local.gateway;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the local gateway received it, before it becomes an API Gateway event.
 *
 * @param headers header names lower-cased, each with every value it was sent with
 */
public record GatewayRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                             byte[] body, String sourceIp, String host) {
}
