using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HelperEHubSpotApp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HubSpotAppGrants",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PortalId = table.Column<long>(type: "INTEGER", nullable: false),
                    EncryptedAccessToken = table.Column<string>(type: "TEXT", nullable: false),
                    EncryptedRefreshToken = table.Column<string>(type: "TEXT", nullable: false),
                    AccessTokenIssuedAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                    AccessTokenExpiresAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    RefreshClaimedUntilMs = table.Column<long>(type: "INTEGER", nullable: false),
                    InstalledByHubSpotUserId = table.Column<long>(type: "INTEGER", nullable: false),
                    InstalledByPersonId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    InstalledAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HubSpotAppGrants", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_HubSpotAppGrants_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HubSpotAppInstallStates",
                columns: table => new
                {
                    Nonce = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HubSpotAppInstallStates", x => x.Nonce);
                });

            migrationBuilder.CreateTable(
                name: "UnroutedAppEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PortalId = table.Column<long>(type: "INTEGER", nullable: true),
                    EventId = table.Column<long>(type: "INTEGER", nullable: true),
                    SubscriptionType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnroutedAppEvents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HubSpotAppGrants_PortalId",
                table: "HubSpotAppGrants",
                column: "PortalId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HubSpotAppGrants");

            migrationBuilder.DropTable(
                name: "HubSpotAppInstallStates");

            migrationBuilder.DropTable(
                name: "UnroutedAppEvents");
        }
    }
}
