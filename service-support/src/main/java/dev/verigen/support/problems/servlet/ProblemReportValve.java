package dev.verigen.support.problems.servlet;

import dev.verigen.support.problems.Problems;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for what it refuses before a request reaches Spring MVC (an encoded NUL or an invalid escape
 * in the URI, a request line or headers over the size limit): a problem+json instead of Tomcat's HTML page. Its body
 * is built from fixed texts only, never from the request, which Tomcat has just found unreadable.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType(Problems.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json(status));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was committed meanwhile: nothing more can be said
        }
    }

    static String json(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String detail = status == 400
                ? "the request could not be read: its URI, query string or headers are malformed (an encoded NUL or an "
                  + "invalid escape, say) or too long"
                : title;
        String slug = Problems.slugFor(status);
        String type = status >= 500 ? "server_error" : "invalid_request_error";
        // fixed ASCII texts without quotes or backslashes: nothing to escape
        return "{\"type\":\"" + Problems.TYPE_PREFIX + slug + "\",\"title\":\"" + title + "\",\"status\":" + status
               + ",\"detail\":\"" + detail + "\",\"error\":{\"message\":\"" + detail + "\",\"type\":\"" + type
               + "\",\"param\":null,\"code\":\"" + slug + "\"}}";
    }
}
