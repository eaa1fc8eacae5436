"""/admin/insights/: what patients read, what they search for and cannot find, which pages
help, where inquiries come from, and each article's review state, for a chosen period.

Staff need the "Can view content insights" permission (insights.view_insights). Those who
may also add search synonyms (search.add_searchsynonym) turn a search that found nothing
into a synonym of a word the site uses, from its row (search.forms.GapSynonymForm).
"""

import datetime
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from articles.models import REVIEW_WARNING_DAYS, Article, ReviewState
from inquiries.models import Inquiry
from search.forms import GapSynonymForm

from .charts import bar_chart
from .counting import OTHER_SEARCHES, SEARCH_TEXTS_PER_DAY
from .models import CrisisSearchDay, FeedbackComment, FeedbackDay, PageViewDay, SearchDay
from .pages import countable_pages

DEFAULT_DAYS = 30
MAX_DAYS = 366 * 2
TOP_SEARCHES = 20
# Days a period may use: the page counts up to the day after the last one, in UTC too,
# and 9999-12-31 has no day after it in Python.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please enter the first day as a date, like 2026-01-31."},
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Please enter the last day as a date, like 2026-01-31."},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(
                    name, f"Please choose a day between {FIRST_DAY:%Y} and {LAST_DAY:%Y}."
                )  # (add_error also takes the day out of cleaned)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "Please choose a last day on or after the first day.")
            elif (end - start).days >= MAX_DAYS:
                self.add_error("start", f"Please choose a period of at most {MAX_DAYS} days.")
        return cleaned


def default_period() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def insights_page(request: HttpRequest) -> HttpResponse:
    return admin.site.admin_view(_insights_page)(request)


ADD_SYNONYM_PERMISSION = "search.add_searchsynonym"


def _insights_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("insights.view_insights"):
        raise PermissionDenied
    can_add_synonyms = request.user.has_perm(ADD_SYNONYM_PERMISSION)
    synonym_form = None
    if request.method == "POST":
        if not can_add_synonyms:
            raise PermissionDenied
        synonym_form = GapSynonymForm(request.POST)
        if synonym_form.is_valid():
            synonym_form.save()
            name, site = synonym_form.cleaned_data["name"], synonym_form.cleaned_data["site"]
            messages.success(
                request,
                f"Added “{name}” as a synonym of “{site}”: a search for it now finds the "
                f"pages about “{site}”.",
            )
            return redirect(request.get_full_path())  # the same period, shown afresh
    start, end = default_period()
    if "start" in request.GET or "end" in request.GET:
        form = PeriodForm(request.GET)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        form = PeriodForm(initial={"start": start, "end": end})
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    context = {
        **admin.site.each_context(request),
        "title": "Content insights",
        "form": form,
        "start": start,
        "end": end,
        "day_count": len(days),
        **page_views(start, end, days),
        **searches(start, end, synonym_form if can_add_synonyms else None, can_add_synonyms),
        **helpfulness(start, end),
        "inquiry_sources": inquiry_sources(start, end),
        "reviews": review_states(),
    }
    return render(request, "admin/insights/insights.html", context)


def page_views(start, end, days) -> dict:
    names = countable_pages()
    per_page: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    per_day: dict[datetime.date, int] = defaultdict(int)
    for row in PageViewDay.objects.filter(day__range=(start, end)).values("path", "day", "views"):
        per_page[row["path"]][row["day"]] += row["views"]
        per_day[row["day"]] += row["views"]
    pages = []
    for path, by_day in per_page.items():
        series = [by_day.get(day, 0) for day in days]
        name = names.get(path, path)
        pages.append(
            {
                "path": path,
                "name": name,
                "known": path in names,
                "total": sum(series),
                "chart": bar_chart(series, label=f"Views per day of {name}"),
            }
        )
    pages.sort(key=lambda page: (-page["total"], page["name"]))
    daily = [per_day.get(day, 0) for day in days]
    busiest = max(range(len(days)), key=lambda n: daily[n]) if days else 0
    return {
        "busiest_day": days[busiest] if days else None,
        "busiest_views": daily[busiest] if days else 0,
        "pages": pages,
        "total_views": sum(daily),
        "views_chart": bar_chart(
            daily,
            label=f"Page views per day, {start:%b %-d} to {end:%b %-d}: {sum(daily)} in all",
            width=640,
            height=80,
        ),
    }


def searches(start, end, synonym_form=None, can_add_synonyms=False) -> dict:
    """The searches of the period. With `can_add_synonyms`, each search that found nothing
    carries its "add as a synonym of..." form (the one just sent back, with its errors, on
    its own row)."""
    rows = (
        SearchDay.objects.filter(day__range=(start, end))
        .values("query", "found")
        .annotate(total=Sum("count"))
        .order_by("-total", "query")
    )
    # Texts kept (searched at least twice a day) in the lists; the rest only in the totals.
    kept = [row for row in rows if row["query"] != OTHER_SEARCHES]
    not_found = [row for row in kept if not row["found"]]
    found = [row for row in kept if row["found"]]
    gaps = not_found[:TOP_SEARCHES]
    if can_add_synonyms:
        sent = synonym_form.data.get("query") if synonym_form is not None else None
        for row in gaps:
            if row["query"] == sent:
                row["synonym_form"] = synonym_form
            else:
                row["synonym_form"] = GapSynonymForm(initial={"query": row["query"]})
        if sent is not None and not any(row["query"] == sent for row in gaps):
            # Sent from a row no longer listed (another period): its errors still show.
            gaps.insert(0, {"query": sent, "total": None, "synonym_form": synonym_form})
    return {
        "gaps": gaps,
        "can_add_synonyms": can_add_synonyms,
        "found_searches": found[:TOP_SEARCHES],
        "search_total": sum(row["total"] for row in rows),
        "not_found_total": sum(row["total"] for row in rows if not row["found"]),
        "search_texts_per_day": SEARCH_TEXTS_PER_DAY,
        "other_searches": sum(row["total"] for row in rows if row["query"] == OTHER_SEARCHES),
        # Counted without their words (insights/counting.py).
        "crisis_search_total": crisis_searches(start, end),
    }


def crisis_searches(start, end) -> int:
    """Searches that read like a crisis: a count only, their words were never kept."""
    rows = CrisisSearchDay.objects.filter(day__range=(start, end))
    return rows.aggregate(total=Sum("count"))["total"] or 0


def helpfulness(start, end) -> dict:
    names = countable_pages()
    answers = {
        row["path"]: row
        for row in FeedbackDay.objects.filter(day__range=(start, end))
        .values("path")
        .annotate(yes_total=Sum("yes"), no_total=Sum("no"))
    }
    comments = defaultdict(list)
    for comment in FeedbackComment.objects.filter(day__range=(start, end)):
        comments[comment.path].append(comment)
    rows = []
    for path in set(answers) | set(comments):
        yes = answers.get(path, {}).get("yes_total") or 0
        no = answers.get(path, {}).get("no_total") or 0
        rows.append(
            {
                "path": path,
                "name": names.get(path, path),
                "known": path in names,
                "yes": yes,
                "no": no,
                "share": round(100 * yes / (yes + no)) if yes + no else None,
                "comments": comments.get(path, []),
            }
        )
    # Pages readers found least helpful first: that is where to start.
    rows.sort(key=lambda row: (row["share"] if row["share"] is not None else 101, -row["no"]))
    return {"helpfulness": rows}


def inquiry_sources(start, end) -> list[dict]:
    names = countable_pages()
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    rows = (
        Inquiry.objects.filter(created_at__gte=first, created_at__lt=after)
        .exclude(status=Inquiry.Status.SPAM)
        .values("source_page")
        .annotate(total=Count("pk"))
        .order_by("-total", "source_page")
    )
    return [
        {
            "path": row["source_page"],
            "name": names.get(row["source_page"], row["source_page"]) or "Not known",
            "total": row["total"],
        }
        for row in rows
    ]


def review_states() -> list[dict]:
    """Each article's review state, from Article.review_state: the function the article's
    page reads its label from, so the two can never disagree (a text changed since its
    review is not reviewed, whatever the dates say)."""
    today = timezone.localdate()
    rows = []
    for article in Article.objects.select_related("reviewer").order_by("order", "title"):
        state = review_state_label(article, today)
        rows.append(
            {
                "article": article,
                "state": state,
                "attention": state != "Reviewed",
                "published": article.is_visible_to_visitors,
                "review_is_current": article.review_is_current,
            }
        )
    return rows


def review_state_label(article: Article, today: datetime.date) -> str:
    state = article.review_state(today)
    if state == ReviewState.NOT_REVIEWED:
        return "Changed since its review" if article.reviewed_hash else "Not reviewed yet"
    if state == ReviewState.OVERDUE:
        return "Review overdue"
    due = article.next_review_due
    if due and (due - today).days <= REVIEW_WARNING_DAYS:
        return "Review due soon"
    return "Reviewed"
