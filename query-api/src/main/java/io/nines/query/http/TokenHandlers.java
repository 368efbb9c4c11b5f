package io.nines.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.nines.query.auth.ApiToken;
import io.nines.query.auth.InvalidTokenRequestException;
import io.nines.query.auth.Role;
import io.nines.query.auth.TokenService;
import io.nines.query.paging.Page;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code /api/v1/tokens}: admins create, list and revoke tokens; the secret is in the creation answer only. */
final class TokenHandlers {

    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._:@/-]{1,100}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The request body: {@code role} is viewer, editor or admin; {@code name} defaults to team-role. */
    record TokenRequest(@JsonProperty(required = true) String team, @JsonProperty(required = true) String role,
            String name) {}

    record Token(String id, String name, String team, String role, String createdAt, String createdBy) {}

    /** The creation answer: the token's text is here and nowhere else, ever. */
    record CreatedToken(String id, String name, String team, String role, String createdAt, String createdBy,
            String token) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenList(List<Token> tokens, String nextCursor) {}

    private final TokenService tokens;

    TokenHandlers(TokenService tokens) {
        this.tokens = tokens;
    }

    void create(Context ctx) {
        JsonNode body = body(ctx);
        String team = text(body, "team").strip().toLowerCase(Locale.ROOT);
        if (!TEAM.matcher(team).matches()) {
            throw new InvalidTokenRequestException("team", "team must be lower-case letters, digits, '.', '_' or '-'"
                    + " (at most 63), was '" + Params.echo(team) + "'");
        }
        Role role;
        try {
            role = Role.parse(text(body, "role"));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenRequestException("role", "role must be viewer, editor or admin, was '"
                    + Params.echo(text(body, "role")) + "'");
        }
        String name = body.hasNonNull("name") ? text(body, "name").strip() : team + "-" + role.label();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidTokenRequestException("name", "name must be 1 to 100 letters, digits, spaces or"
                    + " ._:@/-, was '" + Params.echo(name) + "'");
        }
        TokenService.Created created = tokens.create(Callers.principal(ctx), name, team, role);
        ApiToken token = created.token();
        ctx.header("Location", "/api/v1/tokens/" + token.id());
        ctx.header("Cache-Control", "no-store");
        ctx.status(HttpStatus.CREATED).json(new CreatedToken(token.id(), token.name(), token.team(),
                token.role().label(), token.createdAt().toString(), token.createdBy(), created.secret()));
    }

    void list(Context ctx) {
        Page<ApiToken> page = tokens.list(Params.page(ctx));
        Answers.json(ctx, new TokenList(page.items().stream().map(TokenHandlers::token).toList(), page.next()));
    }

    void revoke(Context ctx) {
        tokens.revoke(ctx.pathParam("id"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    static Token token(ApiToken token) {
        return new Token(token.id(), token.name(), token.team(), token.role().label(), token.createdAt().toString(),
                token.createdBy());
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidTokenRequestException(field, field + " must be a string");
        }
        return value.asText();
    }

    private static JsonNode body(Context ctx) {
        byte[] bytes = Bodies.bytes(ctx, Bodies.JSON, "a token request", MAX_BODY_BYTES);
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidTokenRequestException("(body)", "the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidTokenRequestException("(body)", "the body must be a JSON object with team and role");
        }
        return body;
    }
}
