using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InsightAnalyticsGapsOutcomes : Migration
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

            migrationBuilder.CreateTable(
                name: "KnowledgeGapQuestions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    AskedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Confidence = table.Column<double>(type: "REAL", nullable: true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    EmbeddingModel = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Embedding = table.Column<byte[]>(type: "BLOB", nullable: true),
                    AddressedByArticleId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AddressedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeGapQuestions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KnowledgeGapQuestions_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OutcomeRecords",
                columns: table => new
                {
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HandoffTrigger = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    TicketId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    TicketWritten = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ContactId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ContactWritten = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutcomeRecords", x => x.SessionId);
                    table.ForeignKey(
                        name: "FK_OutcomeRecords_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_OrganizationId_FirstCustomerMessageAt_Analytics",
                table: "Sessions",
                columns: new[] { "OrganizationId", "FirstCustomerMessageAt", "Channel", "AiReplies", "FirstAiReplyAt", "LastAiReplyAt", "LastCustomerMessageAt", "HandedOffAt", "HumanTakeoverAt", "HandoffTrigger", "ThreadId" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_OrganizationId_Fate_OccurredAt_SkipCode_ThreadId",
                table: "InboxEvents",
                columns: new[] { "OrganizationId", "Fate", "OccurredAt", "SkipCode", "ThreadId" });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeGapQuestions_OrganizationId_AskedAt",
                table: "KnowledgeGapQuestions",
                columns: new[] { "OrganizationId", "AskedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeGapQuestions_OrganizationId_MessageId",
                table: "KnowledgeGapQuestions",
                columns: new[] { "OrganizationId", "MessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeRecords_OrganizationId",
                table: "OutcomeRecords",
                column: "OrganizationId");

            // I1: conversations from before the facts existed get them from their transcript and posts, so they sort and
            // count like new ones (only sessions never touched since: LastActivityAt is 0 until the facts are kept).
            migrationBuilder.Sql(@"UPDATE ""Sessions"" SET
    ""CustomerMessages"" = (SELECT COUNT(*) FROM ""SessionMessages"" m WHERE m.""SessionId"" = ""Sessions"".""Id"" AND m.""Speaker"" = 0),
    ""FirstCustomerMessageAt"" = (SELECT CAST(round((julianday(MIN(m.""At"")) - 2440587.5) * 86400000) AS INTEGER) FROM ""SessionMessages"" m WHERE m.""SessionId"" = ""Sessions"".""Id"" AND m.""Speaker"" = 0),
    ""LastCustomerMessageAt"" = (SELECT CAST(round((julianday(MAX(m.""At"")) - 2440587.5) * 86400000) AS INTEGER) FROM ""SessionMessages"" m WHERE m.""SessionId"" = ""Sessions"".""Id"" AND m.""Speaker"" = 0),
    ""AiReplies"" = (SELECT COUNT(*) FROM ""OutboundMessages"" o WHERE o.""SessionId"" = ""Sessions"".""Id"" AND o.""Kind"" = 0 AND o.""State"" = 1),
    ""FirstAiReplyAt"" = (SELECT CAST(round((julianday(MIN(o.""PostedAt"")) - 2440587.5) * 86400000) AS INTEGER) FROM ""OutboundMessages"" o WHERE o.""SessionId"" = ""Sessions"".""Id"" AND o.""Kind"" = 0 AND o.""State"" = 1),
    ""LastAiReplyAt"" = (SELECT CAST(round((julianday(MAX(o.""PostedAt"")) - 2440587.5) * 86400000) AS INTEGER) FROM ""OutboundMessages"" o WHERE o.""SessionId"" = ""Sessions"".""Id"" AND o.""Kind"" = 0 AND o.""State"" = 1),
    ""HandedOffAt"" = (SELECT CAST(round((julianday(MIN(o.""CreatedAt"")) - 2440587.5) * 86400000) AS INTEGER) FROM ""OutboundMessages"" o WHERE o.""SessionId"" = ""Sessions"".""Id"" AND o.""Kind"" = 2)
WHERE ""LastActivityAt"" = 0;");
            migrationBuilder.Sql(@"UPDATE ""Sessions"" SET
    ""LastActivityAt"" = COALESCE((SELECT CAST(round((julianday(MAX(m.""At"")) - 2440587.5) * 86400000) AS INTEGER) FROM ""SessionMessages"" m WHERE m.""SessionId"" = ""Sessions"".""Id""), CAST(round((julianday(""CreatedAt"") - 2440587.5) * 86400000) AS INTEGER)),
    ""Status"" = CASE
        WHEN ""State"" = 1 AND ""HumanTookOver"" = 1 THEN 3
        WHEN ""State"" = 1 THEN 2
        WHEN ""AiReplies"" > 0 AND (""LastCustomerMessageAt"" IS NULL OR ""LastAiReplyAt"" >= ""LastCustomerMessageAt"") THEN 1
        ELSE 0 END
WHERE ""LastActivityAt"" = 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KnowledgeGapQuestions");

            migrationBuilder.DropTable(
                name: "OutcomeRecords");

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
