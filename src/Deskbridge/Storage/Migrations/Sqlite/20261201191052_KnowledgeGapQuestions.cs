using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KnowledgeGapQuestions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeGapQuestions_OrganizationId_AskedAt",
                table: "KnowledgeGapQuestions",
                columns: new[] { "OrganizationId", "AskedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeGapQuestions_OrganizationId_MessageId",
                table: "KnowledgeGapQuestions",
                columns: new[] { "OrganizationId", "MessageId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KnowledgeGapQuestions");
        }
    }
}
