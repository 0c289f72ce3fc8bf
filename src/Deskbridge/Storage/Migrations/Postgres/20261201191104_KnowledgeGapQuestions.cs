using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Deskbridge.Storage.Migrations.Postgres
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
