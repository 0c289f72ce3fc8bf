using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Wave2ConversationKnowledgeApp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AiPaused",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "AnswerDrafts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ThreadId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ForMessageId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DraftMessageId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    Confidence = table.Column<double>(type: "REAL", nullable: false),
                    Decision = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    DecidedVia = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ApprovalId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    SentText = table.Column<string>(type: "TEXT", nullable: true),
                    SentMessageId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Edited = table.Column<bool>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnswerDrafts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AnswerDrafts_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "BusinessHours",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Weekly = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Holidays = table.Column<string>(type: "TEXT", maxLength: 3000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BusinessHours", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_BusinessHours_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

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

            migrationBuilder.CreateTable(
                name: "HandoffMessages",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChatEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    EmailEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Texts = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandoffMessages", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_HandoffMessages_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

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
                name: "KnowledgeArticles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Markdown = table.Column<string>(type: "TEXT", nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SourceUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ImportedFrom = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeArticles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KnowledgeArticles_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "KnowledgeRevisions",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeRevisions", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_KnowledgeRevisions_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PassageEmbeddings",
                columns: table => new
                {
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Dimensions = table.Column<int>(type: "INTEGER", nullable: false),
                    Vector = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PassageEmbeddings", x => new { x.Model, x.ContentHash });
                });

            migrationBuilder.CreateTable(
                name: "PlaygroundCases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    EarlierJson = table.Column<string>(type: "TEXT", nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    Expected = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpectedArticleId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlaygroundCases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlaygroundCases_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SendPolicyRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Sender = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    ConfidenceBelow = table.Column<double>(type: "REAL", nullable: true),
                    ConfidenceAtLeast = table.Column<double>(type: "REAL", nullable: true),
                    Intent = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    Hours = table.Column<int>(type: "INTEGER", nullable: true),
                    Action = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SendPolicyRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SendPolicyRules_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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

            migrationBuilder.CreateTable(
                name: "WorkflowExecutions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CallbackId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    ResponseJson = table.Column<string>(type: "TEXT", nullable: true),
                    InboxEventId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowExecutions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_OrganizationId_ThreadId",
                table: "OutboundMessages",
                columns: new[] { "OrganizationId", "ThreadId" });

            migrationBuilder.CreateIndex(
                name: "IX_AnswerDrafts_OrganizationId_ForMessageId",
                table: "AnswerDrafts",
                columns: new[] { "OrganizationId", "ForMessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AnswerDrafts_OrganizationId_State",
                table: "AnswerDrafts",
                columns: new[] { "OrganizationId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_AnswerDrafts_OrganizationId_ThreadId",
                table: "AnswerDrafts",
                columns: new[] { "OrganizationId", "ThreadId" });

            migrationBuilder.CreateIndex(
                name: "IX_HubSpotAppGrants_PortalId",
                table: "HubSpotAppGrants",
                column: "PortalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeArticles_OrganizationId_ImportedFrom",
                table: "KnowledgeArticles",
                columns: new[] { "OrganizationId", "ImportedFrom" });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeArticles_OrganizationId_Slug",
                table: "KnowledgeArticles",
                columns: new[] { "OrganizationId", "Slug" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PlaygroundCases_OrganizationId_CreatedAt",
                table: "PlaygroundCases",
                columns: new[] { "OrganizationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SendPolicyRules_OrganizationId_Position",
                table: "SendPolicyRules",
                columns: new[] { "OrganizationId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_CallbackId",
                table: "WorkflowExecutions",
                column: "CallbackId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AnswerDrafts");

            migrationBuilder.DropTable(
                name: "BusinessHours");

            migrationBuilder.DropTable(
                name: "ConversationControls");

            migrationBuilder.DropTable(
                name: "HandoffMessages");

            migrationBuilder.DropTable(
                name: "HubSpotAppGrants");

            migrationBuilder.DropTable(
                name: "HubSpotAppInstallStates");

            migrationBuilder.DropTable(
                name: "KnowledgeArticles");

            migrationBuilder.DropTable(
                name: "KnowledgeRevisions");

            migrationBuilder.DropTable(
                name: "PassageEmbeddings");

            migrationBuilder.DropTable(
                name: "PlaygroundCases");

            migrationBuilder.DropTable(
                name: "SendPolicyRules");

            migrationBuilder.DropTable(
                name: "UnroutedAppEvents");

            migrationBuilder.DropTable(
                name: "WorkflowExecutions");

            migrationBuilder.DropIndex(
                name: "IX_OutboundMessages_OrganizationId_ThreadId",
                table: "OutboundMessages");

            migrationBuilder.DropColumn(
                name: "AiPaused",
                table: "Sessions");
        }
    }
}
