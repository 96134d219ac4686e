package com.atelier.reviews.server.input;

import com.atelier.reviews.server.errors.ApiException;
import com.atelier.reviews.server.errors.InvalidProductIdException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.PathSegment;
import org.glassfish.jersey.model.Parameter;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;

import java.util.List;
import java.util.Map;

/**
 * The query and path parameter rules Jersey's own parsing is too lenient for (it takes "+5", " 5" after '+'
 * decoding, and Unicode digits such as "５"), applied to the operation Jersey matched, before its parameters
 * are converted:
 * <ul>
 *   <li>a query parameter given twice ({@code ?product_id=1&product_id=2}) is a 400 naming it, whatever the
 *       endpoint: which value was meant is not ours to guess;</li>
 *   <li>every integer parameter of the operation is a {@link StrictInteger} (its range is then checked by the
 *       resource); an empty optional one means its default, like the legacy API;</li>
 *   <li>a path segment with matrix parameters ({@code /reviews/1;x=2/helpful}) names no resource of the
 *       contract: 404.</li>
 * </ul>
 * A bad {@code product_id} keeps the legacy 422 text; any other bad parameter is a 400 ErrorMessage naming it.
 */
public final class RequestParamsFilter implements ContainerRequestFilter {

    /** The message of each integer parameter, the same the resource gives for an out-of-range value. */
    private static final Map<String, String> INTEGER_MESSAGES = Map.of(
            "page", InputLimits.PAGE_MESSAGE,
            "count", InputLimits.COUNT_MESSAGE,
            "review_id", InputLimits.REVIEW_ID_MESSAGE);

    @Override
    public void filter(ContainerRequestContext request) {
        ExtendedUriInfo uri = (ExtendedUriInfo) request.getUriInfo();
        for (PathSegment segment : uri.getPathSegments(false)) {
            if (!segment.getMatrixParameters().isEmpty()) {
                throw new NotFoundException();
            }
        }
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (e.getValue().size() > 1) {
                throw ApiException.badRequest(e.getKey(), e.getKey() + " is given " + e.getValue().size()
                        + " times; give it once");
            }
        }
        ResourceMethod method = uri.getMatchedResourceMethod();
        if (method == null) {
            return;
        }
        MultivaluedMap<String, String> path = uri.getPathParameters();
        for (Parameter p : method.getInvocable().getParameters()) {
            if (p.getRawType() != Integer.class) {
                continue;
            }
            String value = switch (p.getSource()) {
                case QUERY -> query.getFirst(p.getSourceName());
                case PATH -> path.getFirst(p.getSourceName());
                default -> null;
            };
            boolean meansDefault = p.getSource() == Parameter.Source.QUERY && "".equals(value);
            if (value != null && !meansDefault && StrictInteger.parse(value).isEmpty()) {
                throw invalid(p.getSourceName());
            }
        }
    }

    private static RuntimeException invalid(String name) {
        if ("product_id".equals(name)) {
            return new InvalidProductIdException();
        }
        return ApiException.badRequest(name, INTEGER_MESSAGES.getOrDefault(name, name + " must be an integer"));
    }
}
