using Microsoft.EntityFrameworkCore;

namespace Jpki.Oidc;

/// <summary>The provider's database: OpenIddict's applications (clients), authorizations and tokens (SQLite, <c>oidc.db</c>).</summary>
internal sealed class OidcDbContext(DbContextOptions<OidcDbContext> options) : DbContext(options);
