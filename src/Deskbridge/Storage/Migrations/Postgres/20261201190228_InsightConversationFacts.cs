using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InsightConversationFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AiReplies",
                table: "Sessions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Sessions",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CustomerMessages",
                table: "Sessions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "FirstAiReplyAt",
                table: "Sessions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FirstCustomerMessageAt",
                table: "Sessions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "HandedOffAt",
                table: "Sessions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HandoffTrigger",
                table: "Sessions",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "HumanTakeoverAt",
                table: "Sessions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "Sessions",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastActivityAt",
                table: "Sessions",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LastAiReplyAt",
                table: "Sessions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastCustomerMessageAt",
                table: "Sessions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Status",
                table: "Sessions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SkipCode",
                table: "InboxEvents",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_OrganizationId_FirstCustomerMessageAt",
                table: "Sessions",
                columns: new[] { "OrganizationId", "FirstCustomerMessageAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_OrganizationId_LastActivityAt",
                table: "Sessions",
                columns: new[] { "OrganizationId", "LastActivityAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_OrganizationId_Status_LastActivityAt",
                table: "Sessions",
                columns: new[] { "OrganizationId", "Status", "LastActivityAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_OrganizationId_Fate_OccurredAt_SkipCode",
                table: "InboxEvents",
                columns: new[] { "OrganizationId", "Fate", "OccurredAt", "SkipCode" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_OrganizationId_FirstCustomerMessageAt",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_Sessions_OrganizationId_LastActivityAt",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_Sessions_OrganizationId_Status_LastActivityAt",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_InboxEvents_OrganizationId_Fate_OccurredAt_SkipCode",
                table: "InboxEvents");

            migrationBuilder.DropColumn(
                name: "AiReplies",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "CustomerMessages",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "FirstAiReplyAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "FirstCustomerMessageAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "HandedOffAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "HandoffTrigger",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "HumanTakeoverAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "Language",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "LastActivityAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "LastAiReplyAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "LastCustomerMessageAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "SkipCode",
                table: "InboxEvents");
        }
    }
}
