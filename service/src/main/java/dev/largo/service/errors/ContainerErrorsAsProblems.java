package dev.largo.service.errors;

import java.io.IOException;
import java.io.PrintWriter;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Tomcat refuses some requests before the service sees them (a NUL byte or a {@code ..} above the root in the
 * path, a malformed request line) and would answer with an HTML page; this answers them, like every other
 * error, as problem+json. It replaces the host's error report valve, which only writes a response nothing else
 * has (errors of the application itself are answered by {@link ApiExceptionHandler} and Spring Boot's error
 * page). Runs after Spring Boot's own customizer, which installs the valve this one replaces.
 */
@Component
public class ContainerErrorsAsProblems implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>,
        Ordered {

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            if (host instanceof StandardHost standard) {
                // what the host installs when it starts, if no valve of this class is in its pipeline yet
                standard.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
            host.getPipeline().addValve(new ProblemReportValve());
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Writes a problem+json naming the status, nothing of the request (it may be anything). */
    public static class ProblemReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            HttpStatus known = HttpStatus.resolve(status);
            String title = known == null ? "HTTP " + status : known.getReasonPhrase();
            String slug = known == null ? "http-" + status : known.name().toLowerCase().replace('_', '-');
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                PrintWriter writer = response.getReporter();
                if (writer != null) {
                    writer.write("{\"type\":\"" + ProblemResponses.TYPE_PREFIX + slug + "\",\"title\":\"" + title
                            + "\",\"status\":" + status + ",\"detail\":\"the server refused the request before the"
                            + " service read it (a malformed request line, or a path with a NUL byte or a '..'"
                            + " above the root)\"}");
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the response was already committed: nothing left to tell it
            }
        }
    }
}
