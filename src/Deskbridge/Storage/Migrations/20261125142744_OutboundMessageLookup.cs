using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations
{
    /// <inheritdoc />
    public partial class OutboundMessageLookup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_OrganizationId_PostedMessageId",
                table: "OutboundMessages",
                columns: new[] { "OrganizationId", "PostedMessageId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboundMessages_OrganizationId_PostedMessageId",
                table: "OutboundMessages");
        }
    }
}
