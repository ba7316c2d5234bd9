package com.mlplatform.logexport.api.http;

import com.mlplatform.logexport.shared.error.ErrorCode;

/** Every error's JSON: {@code {"error":{"code","message","requestId"}}}. */
public record ErrorBody(Detail error) {

    public record Detail(String code, String message, String requestId) {
    }

    public static Reply reply(ErrorCode code, String message, String requestId) {
        return Reply.of(code.httpStatus(), new ErrorBody(new Detail(code.name(), message, requestId)));
    }
}
