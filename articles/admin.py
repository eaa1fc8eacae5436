from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from .models import Article, FAQEntry


@admin.register(Article)
class ArticleAdmin(MarkdownxModelAdmin):
    list_display = [
        "title",
        "status",
        "topic",
        "order",
        "reviewer",
        "reviewed_on",
        "next_review_due",
        "updated_at",
    ]
    list_filter = ["status", "topic", "reviewer"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["reviewer"]


@admin.register(FAQEntry)
class FAQEntryAdmin(MarkdownxModelAdmin):
    list_display = ["question", "order"]
    list_editable = ["order"]
    search_fields = ["question", "answer"]
