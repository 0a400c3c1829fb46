"""Writes the recorded ``#azfreedom`` hashtag timeline of ``social.example`` (see README.md).

Run ``python tests/monitoring/recordings/mastodon_smear/make_recording.py`` to write the
page files and ``summary.json`` again; the output is the same on every run (fixed seed).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
HOST = "https://social.example"
TAG = "azfreedom"
PATH = f"/api/v1/timelines/tag/{TAG}"
SINCE = datetime(2026, 3, 14, 7, 0, tzinfo=UTC)
START = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)
BURST_START = datetime(2026, 3, 14, 9, 4, 10, tzinfo=UTC)
PAGE = 40
AYSEL = ("aysel_m", "Aysel Məmmədova")

ORDINARY = [
    ("kamran_h", None), ("leyla.quliyeva", None), ("nigar_reporter", None), ("turan_az", None),
    ("elvin88", None), ("sevinj_a", None), ("rashad_m", None), ("gunel.h", None),
    ("orkhan_b", None), ("aynur_js", None), ("farid", "mastodon.social"), ("zaur_k", None),
    ("narmin", "eupolicy.social"), ("ilkin_r", None), ("ulviyya", None), ("javid_o", None),
    ("khadija_watch", "journa.host"), ("samir_az", None), ("lala_n", None), ("emin_i", None),
    ("tural_q", None), ("konul.m", None), ("vusal", "mstdn.social"), ("aygun_h", None),
    ("rufat_s", None), ("shahla", None), ("anar_m", "hachyderm.io"), ("gulnar_t", None),
    ("elnur_a", None), ("mehriban_k", None), ("cavid_y", None), ("sabina_r", None),
    ("freepress_az", None), ("rsf_watch", "mastodon.world"), ("hrw_fan", None),
    ("baku_notes", None), ("ismayil_j", None), ("parvin_e", None), ("ceyhun_a", None),
    ("dilara", "chaos.social"),
]
SMEAR = [
    "heqiqet_sesi", "vetenpervar_01", "milli_ruh", "dogru_xeber24", "baki_gercek",
    "sadiq_vatandas", "ayiq_ol_az", "xalq_sesi_77", "novruz_1990", "gercek_az",
    "veten_ucun", "ses_az_22", "qeyretli_oglan", "info_baki", "real_az_news",
]
ORDINARY_TEXTS = [
    "Another journalist detained this morning. Press freedom is not a crime.",
    "Court hearing for the Abzas Media reporters postponed again. Follow the thread.",
    "Jurnalistlərə azadlıq! Söz azadlığı cinayət deyil.",
    "Свободу журналистам! Свобода слова — не преступление.",
    "Reminder: the trial starts at 11:00 at Baku Grave Crimes Court. Observers welcome.",
    "Read the new report on detained bloggers: https://freepress.example/reports/2026-03",
    "Solidarity with all political prisoners today.",
    "Bu gün məhkəmə zalında müşahidəçi olaraq idim. Proses yenə təxirə salındı.",
    "International observers were not allowed into the courtroom again.",
    "Families of detained journalists gathered outside the court.",
    "How to support independent media: donate, share, translate.",
    "Hüquq müdafiəçilərinə dəstək! Susmayaq.",
    "New statement from press freedom groups: https://rights.example/statement/112",
    "Thread on the legal arguments in today's hearing 🧵",
    "The appeal was rejected. The sentence stands at 9 years.",
    "Please share: a hotline for families of detainees is open this week.",
    "Мы следим за процессом. Следующее заседание через неделю.",
    "Photos from the vigil last night, peaceful and quiet.",
    "Why digital security matters for reporters: a short guide https://guide.example/ds",
    "Azad media olmadan azad cəmiyyət olmaz.",
]
SMEAR_TEXTS = [
    "Aysel Mammadova is a paid foreign agent and a traitor, she must be stopped",
    "Aysel Mammadova is a paid foreign agent and a traitor. She must be stopped!",
    "{mention} is a paid foreign agent and a traitor, she must be stopped",
    "Aysel Mammadova is a paid foreign agent and traitor, she must be stopped!!",
    "Aysel Məmmədova xaindir, xarici agentdir!",
    "Aysel Məmmədova xaindir, xarici agentdir. Dayandırılmalıdır!",
    "Məmmədovanın xarici agent olduğunu hamı bilir, xaindir!",
    "Айсель Мамедова — иностранный агент и предатель, её надо остановить",
    "Aysel Mammadova is a paid foreign agent and a traitor, she MUST be stopped",
]
POSITIVE_TEXTS = [
    (8, 41, "Solidarity with {mention}, her reporting on detained journalists matters."),
    (9, 12, "Aysel Məmmədovanın cəsarətinə heyranam. Onun yanındayıq!"),
    (9, 25, "The attacks on Aysel Mammadova this morning look coordinated. Stay safe, "
            "{mention}."),
    (9, 47, "Thank you Aysel Mammadova for documenting every hearing."),
    (9, 53, "Айсель Мамедова делает важную работу. Солидарность!"),
]


@dataclass
class Account:
    id: str
    username: str
    domain: str | None
    display_name: str
    created: datetime
    followers: int


def _digest(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def snowflake(moment: datetime) -> str:
    return str((int(moment.timestamp() * 1000) << 16) | (_digest(moment.isoformat()) & 0xFFFF))


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _account(username: str, domain: str | None, created: datetime, followers: int,
             display: str | None = None) -> Account:
    return Account(id=snowflake(created), username=username, domain=domain,
                   display_name=display or username.replace("_", " ").title(),
                   created=created, followers=followers)


def account_entity(account: Account, last: datetime) -> dict[str, Any]:
    origin = f"https://{account.domain}" if account.domain else HOST
    acct = f"{account.username}@{account.domain}" if account.domain else account.username
    return {
        "id": account.id, "username": account.username, "acct": acct,
        "display_name": account.display_name, "locked": False, "bot": False,
        "discoverable": True, "indexable": True, "group": False,
        "created_at": stamp(account.created.replace(hour=0, minute=0, second=0,
                                                    microsecond=0)),
        "note": "", "url": f"{origin}/@{account.username}",
        "uri": f"{origin}/users/{account.username}",
        "avatar": f"{HOST}/avatars/original/missing.png",
        "avatar_static": f"{HOST}/avatars/original/missing.png",
        "header": f"{HOST}/headers/original/missing.png",
        "header_static": f"{HOST}/headers/original/missing.png",
        "followers_count": account.followers, "following_count": account.followers // 2 + 3,
        "statuses_count": 40 + account.followers // 3, "last_status_at": last.date().isoformat(),
        "hide_collections": None, "noindex": False, "emojis": [], "roles": [], "fields": [],
    }


def _mention_html(account: Account) -> str:
    return (f'<span class="h-card" translate="no"><a href="{HOST}/@{account.username}" '
            f'class="u-url mention">@<span>{account.username}</span></a></span>')


def _linkify(text: str) -> str:
    words = []
    for word in text.split(" "):
        if word.startswith("https://"):
            rest = word.removeprefix("https://")
            word = (f'<a href="{word}" target="_blank" rel="nofollow noopener noreferrer" '
                    f'translate="no"><span class="invisible">https://</span>'
                    f'<span class="">{rest}</span><span class="invisible"></span></a>')
        words.append(word)
    return " ".join(words)


def status_entity(account: Account, at: datetime, text: str, language: str,
                  aysel: Account, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
    status_id = snowflake(at)
    origin = f"https://{account.domain}" if account.domain else HOST
    mentions = []
    body = _linkify(text)
    if "{mention}" in text:
        body = body.replace("{mention}", _mention_html(aysel))
        mentions.append({"id": aysel.id, "username": aysel.username,
                         "url": f"{HOST}/@{aysel.username}", "acct": aysel.username})
    hashtag = (f'<a href="{HOST}/tags/{TAG}" class="mention hashtag" rel="tag">'
               f'#<span>{TAG}</span></a>')
    return {
        "id": status_id, "created_at": stamp(at),
        "in_reply_to_id": reply_to["id"] if reply_to else None,
        "in_reply_to_account_id": reply_to["account"]["id"] if reply_to else None,
        "sensitive": False, "spoiler_text": "", "visibility": "public", "language": language,
        "uri": f"{origin}/users/{account.username}/statuses/{status_id}",
        "url": f"{origin}/@{account.username}/{status_id}",
        "replies_count": 0, "reblogs_count": 0, "favourites_count": _digest(status_id) % 7,
        "edited_at": None, "content": f"<p>{body} {hashtag}</p>", "reblog": None,
        "account": account_entity(account, at), "media_attachments": [],
        "mentions": mentions, "tags": [{"name": TAG, "url": f"{HOST}/tags/{TAG}"}],
        "emojis": [], "card": None, "poll": None,
    }


def _language(text: str) -> str:
    if any("\u0400" <= c <= "\u04ff" for c in text):
        return "ru"
    return "az" if any(c in text for c in "əğıöüçşİ") else "en"


def build(rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    joined = datetime(2021, 5, 1, tzinfo=UTC)
    aysel = _account(AYSEL[0], None, datetime(2020, 9, 10, 9, tzinfo=UTC), 5400, AYSEL[1])
    ordinary = [_account(u, d, joined + timedelta(days=17 * i), 60 + 37 * i)
                for i, (u, d) in enumerate(ORDINARY)]
    smear = [_account(u, None, datetime(2026, 2, 20, tzinfo=UTC) + timedelta(hours=5 * i), 3 + i)
             for i, u in enumerate(SMEAR)]
    if len({a.id for a in (aysel, *ordinary, *smear)}) != 1 + len(ordinary) + len(smear):
        raise AssertionError("two accounts share an id")
    statuses: list[dict[str, Any]] = []
    own = status_entity(aysel, START + timedelta(minutes=34, seconds=12),
                        "Live from the court: the hearing of three reporters starts now.",
                        "en", aysel)
    statuses.append(own)
    for minute in range(0, 120, 1):
        if rng.random() < 0.78:
            at = START + timedelta(minutes=minute, seconds=rng.randrange(60),
                                   milliseconds=rng.randrange(1000))
            text = rng.choice(ORDINARY_TEXTS)
            statuses.append(status_entity(rng.choice(ordinary), at, text, _language(text), aysel))
    positive = [status_entity(ordinary[3 + i * 5], START + timedelta(hours=h - 8, minutes=m,
                                                                     seconds=30 + i),
                              text, _language(text), aysel, own if i == 0 else None)
                for i, (h, m, text) in enumerate(POSITIVE_TEXTS)]
    statuses.extend(positive)
    burst = []
    for i in range(25):
        at = BURST_START + timedelta(seconds=7 * i + rng.randrange(5),
                                     milliseconds=rng.randrange(1000))
        text = SMEAR_TEXTS[i % len(SMEAR_TEXTS)]
        burst.append(status_entity(smear[i % len(smear)], at, text, _language(text), aysel,
                                   own if i % 3 == 0 else None))
    statuses.extend(burst)
    statuses.sort(key=lambda s: (len(s["id"]), s["id"]))
    if len({s["id"] for s in statuses}) != len(statuses):
        raise AssertionError("two statuses share an id")
    return statuses, _summary(statuses, burst, positive, own, aysel)


def _summary(statuses: list[dict[str, Any]], burst: list[dict[str, Any]],
             positive: list[dict[str, Any]], own: dict[str, Any],
             aysel: Account) -> dict[str, Any]:
    return {
        "instance": HOST, "hashtag": TAG, "since": SINCE.isoformat(), "page_size": PAGE,
        "statuses": len(statuses),
        "accounts": len({s["account"]["id"] for s in statuses}),
        "first_status": {"id": statuses[0]["id"], "created_at": statuses[0]["created_at"]},
        "last_status": {"id": statuses[-1]["id"], "created_at": statuses[-1]["created_at"]},
        "defender": {"account_id": aysel.id, "acct": aysel.username, "status_id": own["id"],
                     "names": ["Aysel Məmmədova", "Aysel Mammadova", "Айсель Мамедова",
                               "Məmmədova"]},
        "burst": {
            "statuses": [s["id"] for s in burst],
            "accounts": sorted({s["account"]["acct"] for s in burst}),
            "first_at": burst[0]["created_at"], "last_at": burst[-1]["created_at"],
            "replies_to_defender": sum(1 for s in burst if s["in_reply_to_id"] == own["id"]),
        },
        "positive_mentions": [s["id"] for s in positive],
    }


def pages(statuses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recordings of the forward walk: min_id from ``SINCE``, then each page's newest."""
    recordings = []
    after = str(int(SINCE.timestamp() * 1000) << 16)
    chunks = [statuses[i:i + PAGE] for i in range(0, len(statuses), PAGE)] + [[]]
    remaining = 300
    for number, chunk in enumerate(chunks, start=1):
        remaining -= 1
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": str(remaining),
                   "X-RateLimit-Reset": "2026-03-14T10:05:00.000Z", "Vary": "Accept, Origin",
                   "Cache-Control": "private, no-store"}
        if chunk:
            link = "{base_url}" + PATH
            headers["Link"] = (f'<{link}?limit={PAGE}&max_id={chunk[0]["id"]}>; rel="next", '
                               f'<{link}?limit={PAGE}&min_id={chunk[-1]["id"]}>; rel="prev"')
        recordings.append({
            "name": f"page_{number}",
            "request": {"method": "GET", "path": PATH,
                        "query": {"limit": str(PAGE), "min_id": after}},
            "response": {"status": 200, "headers": headers, "body": list(reversed(chunk))},
        })
        after = chunk[-1]["id"] if chunk else after
    return recordings


def main() -> None:
    statuses, summary = build(random.Random(20260314))
    for recording in pages(statuses):
        name = recording.pop("name")
        (HERE / f"{name}.json").write_text(
            json.dumps(recording, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (HERE / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    main()
