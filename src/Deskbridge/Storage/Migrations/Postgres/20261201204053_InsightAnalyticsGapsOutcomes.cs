using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deskbridge.Storage.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Language = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    AskedAt = table.Column<long>(type: "bigint", nullable: false),
                    Confidence = table.Column<double>(type: "double precision", nullable: true),
                    Trigger = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    EmbeddingModel = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Embedding = table.Column<byte[]>(type: "bytea", nullable: true),
                    AddressedByArticleId = table.Column<Guid>(type: "uuid", nullable: true),
                    AddressedAt = table.Column<long>(type: "bigint", nullable: true)
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
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    HandoffTrigger = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    TicketId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    TicketWritten = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ContactId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ContactWritten = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
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
    ""FirstCustomerMessageAt"" = (SELECT CAST(extract(epoch from MIN(m.""At"")) * 1000 AS bigint) FROM ""SessionMessages"" m WHERE m.""SessionId"" = ""Sessions"".""Id"" AND m.""Speaker"" = 0),
    ""LastCustomerMessageAt"" = (SELECT CAST(extract(epoch from MAX(m.""At"")) * 1000 AS bigint) FROM ""SessionMessages"" m WHERE m.""SessionId"" = ""Sessions"".""Id"" AND m.""Speaker"" = 0),
    ""AiReplies"" = (SELECT COUNT(*) FROM ""OutboundMessages"" o WHERE o.""SessionId"" = ""Sessions"".""Id"" AND o.""Kind"" = 0 AND o.""State"" = 1),
    ""FirstAiReplyAt"" = (SELECT CAST(extract(epoch from MIN(o.""PostedAt"")) * 1000 AS bigint) FROM ""OutboundMessages"" o WHERE o.""SessionId"" = ""Sessions"".""Id"" AND o.""Kind"" = 0 AND o.""State"" = 1),
    ""LastAiReplyAt"" = (SELECT CAST(extract(epoch from MAX(o.""PostedAt"")) * 1000 AS bigint) FROM ""OutboundMessages"" o WHERE o.""SessionId"" = ""Sessions"".""Id"" AND o.""Kind"" = 0 AND o.""State"" = 1),
    ""HandedOffAt"" = (SELECT CAST(extract(epoch from MIN(o.""CreatedAt"")) * 1000 AS bigint) FROM ""OutboundMessages"" o WHERE o.""SessionId"" = ""Sessions"".""Id"" AND o.""Kind"" = 2)
WHERE ""LastActivityAt"" = 0;");
            migrationBuilder.Sql(@"UPDATE ""Sessions"" SET
    ""LastActivityAt"" = COALESCE((SELECT CAST(extract(epoch from MAX(m.""At"")) * 1000 AS bigint) FROM ""SessionMessages"" m WHERE m.""SessionId"" = ""Sessions"".""Id""), CAST(extract(epoch from ""CreatedAt"") * 1000 AS bigint)),
    ""Status"" = CASE
        WHEN ""State"" = 1 AND ""HumanTookOver"" = TRUE THEN 3
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
