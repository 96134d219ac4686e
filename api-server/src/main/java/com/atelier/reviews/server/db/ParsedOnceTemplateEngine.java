package com.atelier.reviews.server.db;

import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.extension.ExtensionMethod;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;

import java.util.Optional;
import java.util.function.Function;

/**
 * JDBI's {@code <define>} templates, prefixed with {@code /* Dao.method *}{@code /} like Dropwizard's
 * NamePrependingTemplateEngine (so statements can be traced in pg_stat_statements), but parsed once: Dropwizard's
 * engine only implements {@code render}, which makes JDBI re-lex every statement with ANTLR on every call — a
 * quarter of the JVM's CPU on a cache miss, by JFR. What {@link #parse} returns is cached by JDBI per template.
 */
public final class ParsedOnceTemplateEngine implements TemplateEngine.Parsing {

    private final TemplateEngine.Parsing defined = new DefinedAttributeTemplateEngine();

    @Override
    public Optional<Function<StatementContext, String>> parse(String template, ConfigRegistry config) {
        return defined.parse(template, config).map(render -> context -> {
            String sql = render.apply(context);
            ExtensionMethod method = context.getExtensionMethod();
            return method == null ? sql
                    : "/* " + method.getType().getSimpleName() + '.' + method.getMethod().getName() + " */ " + sql;
        });
    }
}
