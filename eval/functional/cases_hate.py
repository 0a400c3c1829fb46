"""Hate per target group: derogation and dehumanisation of a group, and neutral statements
about the same groups, per language (development cases). ``{T}`` is the group, plural, as
the subject of the sentence. Written for this project."""

from __future__ import annotations

from cases_dev import Table

_EN_T = [
    ("women", "women"),
    ("gay people", "lgbtq"),
    ("trans people", "lgbtq"),
    ("Black people", "ethnic"),
    ("Muslims", "muslims"),
    ("Jews", "jews"),
    ("immigrants", "migrants"),
    ("disabled people", "disabled"),
]
_ES_T = [
    ("las mujeres", "women"),
    ("los gays", "lgbtq"),
    ("las personas trans", "lgbtq"),
    ("los negros", "ethnic"),
    ("los musulmanes", "muslims"),
    ("los judíos", "jews"),
    ("los inmigrantes", "migrants"),
    ("los gitanos", "roma"),
]
_FR_T = [
    ("les femmes", "women"),
    ("les homosexuels", "lgbtq"),
    ("les personnes trans", "lgbtq"),
    ("les Noirs", "ethnic"),
    ("les musulmans", "muslims"),
    ("les juifs", "jews"),
    ("les immigrés", "migrants"),
    ("les Roms", "roma"),
]
_RU_T = [
    ("женщины", "women"),
    ("геи", "lgbtq"),
    ("трансгендеры", "lgbtq"),
    ("кавказцы", "ethnic"),
    ("мусульмане", "muslims"),
    ("евреи", "jews"),
    ("мигранты", "migrants"),
    ("цыгане", "roma"),
]
_TR_T = [
    ("kadınlar", "women"),
    ("eşcinseller", "lgbtq"),
    ("trans bireyler", "lgbtq"),
    ("Kürtler", "ethnic"),
    ("Aleviler", "religion"),
    ("Yahudiler", "jews"),
    ("Suriyeliler", "migrants"),
    ("Romanlar", "roma"),
]
_AZ_T = [
    ("qadınlar", "women"),
    ("geylər", "lgbtq"),
    ("translar", "lgbtq"),
    ("ermənilər", "ethnic"),
    ("şiələr", "religion"),
    ("yəhudilər", "jews"),
    ("qaçqınlar", "migrants"),
    ("talışlar", "ethnic"),
]
_AR_T = [
    ("النساء", "women"),
    ("المثليون", "lgbtq"),
    ("المتحولون", "lgbtq"),
    ("السود", "ethnic"),
    ("الشيعة", "religion"),
    ("اليهود", "jews"),
    ("اللاجئون", "migrants"),
    ("الأكراد", "ethnic"),
]
_FA_T = [
    ("زن‌ها", "women"),
    ("همجنس‌گراها", "lgbtq"),
    ("ترنس‌ها", "lgbtq"),
    ("عرب‌ها", "ethnic"),
    ("بهایی‌ها", "religion"),
    ("یهودی‌ها", "jews"),
    ("افغانی‌ها", "migrants"),
    ("کردها", "ethnic"),
]

HATE: dict[str, Table] = {
    "en": {
        "hate_derogation": (
            [
                "{T} are vermin",
                "I hate {T}, all of them",
                "{T} are a disease on this country",
                "{T} are subhuman trash",
                "{T} are disgusting animals",
            ],
            _EN_T,
        ),
        "contrast_neutral_group": (
            [
                "I had dinner with friends, some of them {T}",
                "{T} live in every city",
                "Many {T} work as nurses",
                "The report is about {T} and housing",
                "{T} have the same rights as everyone",
            ],
            _EN_T,
        ),
    },
    "es": {
        "hate_derogation": (
            [
                "{T} son una plaga",
                "Odio a {T}, a todos",
                "{T} son una enfermedad para este país",
                "{T} son basura infrahumana",
                "{T} son animales asquerosos",
            ],
            _ES_T,
        ),
        "contrast_neutral_group": (
            [
                "Cené con amigos, algunos de ellos son {T}",
                "{T} viven en todas las ciudades",
                "Muchos de {T} trabajan como enfermeros",
                "El informe trata sobre {T} y la vivienda",
                "{T} tienen los mismos derechos que todos",
            ],
            _ES_T,
        ),
    },
    "fr": {
        "hate_derogation": (
            [
                "{T} sont de la vermine",
                "Je hais {T}, tous",
                "{T} sont une maladie pour ce pays",
                "{T} sont des sous-hommes",
                "{T} sont des animaux dégoûtants",
            ],
            _FR_T,
        ),
        "contrast_neutral_group": (
            [
                "J'ai dîné avec des amis, certains sont parmi {T}",
                "{T} vivent dans toutes les villes",
                "Beaucoup parmi {T} travaillent comme infirmiers",
                "Le rapport porte sur {T} et le logement",
                "{T} ont les mêmes droits que tout le monde",
            ],
            _FR_T,
        ),
    },
    "ru": {
        "hate_derogation": (
            [
                "{T} — это паразиты",
                "Ненавижу, все {T} мрази",
                "{T} — болезнь этой страны",
                "{T} — недочеловеки",
                "{T} — мерзкие животные",
            ],
            _RU_T,
        ),
        "contrast_neutral_group": (
            [
                "Я ужинал с друзьями, среди них есть {T}",
                "{T} живут во всех городах",
                "Многие {T} работают медсёстрами",
                "Доклад о том, как {T} ищут жильё",
                "{T} имеют те же права, что и все",
            ],
            _RU_T,
        ),
    },
    "tr": {
        "hate_derogation": (
            [
                "{T} birer parazit",
                "{T} denen pislikleri hiç sevmiyorum",
                "{T} bu ülkenin hastalığı",
                "{T} insan değil, çöp",
                "{T} iğrenç hayvanlar",
            ],
            _TR_T,
        ),
        "contrast_neutral_group": (
            [
                "Arkadaşlarla yemek yedik, aralarında {T} de vardı",
                "{T} her şehirde yaşıyor",
                "{T} arasında hemşire olanlar çok",
                "Rapor {T} ve konut üzerine",
                "{T} herkesle aynı haklara sahip",
            ],
            _TR_T,
        ),
    },
    "az": {
        "hate_derogation": (
            [
                "{T} parazitdir",
                "{T} adlı murdarlara nifrət edirəm",
                "{T} bu ölkənin xəstəliyidir",
                "{T} insan deyil, zibildir",
                "{T} iyrənc heyvanlardır",
            ],
            _AZ_T,
        ),
        "contrast_neutral_group": (
            [
                "Dostlarla şam etdik, aralarında {T} də vardı",
                "{T} hər şəhərdə yaşayır",
                "{T} arasında tibb bacısı olanlar çoxdur",
                "Hesabat {T} və mənzil haqqındadır",
                "{T} hamı ilə eyni hüquqlara malikdir",
            ],
            _AZ_T,
        ),
    },
    "ar": {
        "hate_derogation": (
            [
                "{T} حشرات",
                "أكره {T} كلهم",
                "{T} مرض في هذا البلد",
                "{T} ليسوا بشرا بل قمامة",
                "{T} حيوانات مقرفة",
            ],
            _AR_T,
        ),
        "contrast_neutral_group": (
            [
                "تعشيت مع أصدقاء بعضهم من {T}",
                "{T} يعيشون في كل المدن",
                "كثير من {T} يعملون في التمريض",
                "التقرير عن {T} والسكن",
                "{T} لهم نفس الحقوق مثل الجميع",
            ],
            _AR_T,
        ),
    },
    "fa": {
        "hate_derogation": (
            [
                "{T} انگل هستند",
                "از {T} متنفرم، از همه‌شان",
                "{T} بیماری این کشورند",
                "{T} آدم نیستند، آشغالند",
                "{T} حیوانات کثیفی هستند",
            ],
            _FA_T,
        ),
        "contrast_neutral_group": (
            [
                "با دوستانم شام خوردم، بعضی‌شان از {T} هستند",
                "{T} در همه‌ی شهرها زندگی می‌کنند",
                "بسیاری از {T} پرستارند",
                "گزارش درباره‌ی {T} و مسکن است",
                "{T} همان حقوق دیگران را دارند",
            ],
            _FA_T,
        ),
    },
}
