using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InsightAnalyticsIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_OrganizationId_FirstCustomerMessageAt",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_InboxEvents_OrganizationId_Fate_OccurredAt_SkipCode",
                table: "InboxEvents");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_OrganizationId_FirstCustomerMessageAt_Analytics",
                table: "Sessions",
                columns: new[] { "OrganizationId", "FirstCustomerMessageAt", "Channel", "AiReplies", "FirstAiReplyAt", "LastAiReplyAt", "LastCustomerMessageAt", "HandedOffAt", "HumanTakeoverAt", "HandoffTrigger", "ThreadId" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_OrganizationId_Fate_OccurredAt_SkipCode_ThreadId",
                table: "InboxEvents",
                columns: new[] { "OrganizationId", "Fate", "OccurredAt", "SkipCode", "ThreadId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_OrganizationId_FirstCustomerMessageAt_Analytics",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_InboxEvents_OrganizationId_Fate_OccurredAt_SkipCode_ThreadId",
                table: "InboxEvents");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_OrganizationId_FirstCustomerMessageAt",
                table: "Sessions",
                columns: new[] { "OrganizationId", "FirstCustomerMessageAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_OrganizationId_Fate_OccurredAt_SkipCode",
                table: "InboxEvents",
                columns: new[] { "OrganizationId", "Fate", "OccurredAt", "SkipCode" });
        }
    }
}
