using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HelperBConversationControl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConversationControls",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Takeover = table.Column<int>(type: "INTEGER", nullable: false),
                    BurstWindowSeconds = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationControls", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_ConversationControls_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_OrganizationId_ThreadId",
                table: "OutboundMessages",
                columns: new[] { "OrganizationId", "ThreadId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConversationControls");

            migrationBuilder.DropIndex(
                name: "IX_OutboundMessages_OrganizationId_ThreadId",
                table: "OutboundMessages");
        }
    }
}
