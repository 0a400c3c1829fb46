"""Given names and surnames for the SYNTHETIC watch-list evaluation, with their spellings.

Written for this evaluation (common names of each language, not people). Each entry is a
tuple of spellings: the first is how a watch-list would store it, the others are how posts
write it (English-style romanisation, Russian Cyrillic, Arabic script). Surnames of
Azerbaijani and Russian are given in the masculine form; the feminine adds ``a``.
"""

from __future__ import annotations

Spellings = tuple[str, ...]

GIVEN: dict[str, dict[str, tuple[Spellings, ...]]] = {
    "az": {
        "f": (
            ("Aysel", "Айсель"), ("Leyla", "Лейла"), ("Günel", "Gunel", "Гюнель"),
            ("Nərgiz", "Nargiz", "Наргиз"), ("Səbinə", "Sabina", "Сабина"),
            ("Xədicə", "Khadija", "Хадиджа"), ("Aynur", "Айнур"), ("Ülviyyə", "Ulviyya", "Ульвия"),
            ("Fidan", "Фидан"), ("Könül", "Konul", "Кёнуль"), ("Şəbnəm", "Shabnam", "Шабнам"),
            ("Təranə", "Tarana", "Тарана"),
        ),
        "m": (
            ("Elçin", "Elchin", "Эльчин"), ("Rəşad", "Rashad", "Рашад"),
            ("Tofiq", "Tofig", "Тофик"),
            ("Emin", "Эмин"), ("İlqar", "Ilgar", "Ильгар"), ("Vüqar", "Vugar", "Вугар"),
            ("Orxan", "Orkhan", "Орхан"), ("Cəmil", "Jamil", "Джамиль"), ("Murad", "Мурад"),
            ("Tural", "Турал"), ("Elnur", "Эльнур"), ("Rauf", "Рауф"),
        ),
    },
    "ru": {
        "f": (
            ("Анна", "Anna"), ("Елена", "Elena", "Yelena"), ("Ольга", "Olga"),
            ("Наталья", "Natalya", "Natalia"), ("Светлана", "Svetlana"), ("Ирина", "Irina"),
            ("Татьяна", "Tatyana", "Tatiana"), ("Екатерина", "Ekaterina", "Yekaterina"),
            ("Юлия", "Yulia", "Yuliya"), ("Мария", "Maria"), ("Дарья", "Darya", "Daria"),
            ("Ксения", "Ksenia", "Kseniya"),
        ),
        "m": (
            ("Дмитрий", "Dmitry", "Dmitriy"), ("Сергей", "Sergei", "Sergey"),
            ("Алексей", "Alexei", "Aleksey"), ("Иван", "Ivan"), ("Михаил", "Mikhail"),
            ("Андрей", "Andrei", "Andrey"), ("Павел", "Pavel"), ("Николай", "Nikolai"),
            ("Олег", "Oleg"), ("Борис", "Boris"), ("Юрий", "Yuri", "Yuriy"),
            ("Григорий", "Grigory", "Grigoriy"),
        ),
    },
    "tr": {
        "f": (
            ("Ayşe", "Ayse", "Айше"), ("Fatma", "Фатма"), ("Elif", "Элиф"), ("Zeynep", "Зейнеп"),
            ("Emine", "Эмине"), ("Hatice", "Hatije", "Хатидже"), ("Merve", "Мерве"),
            ("Esra", "Эсра"), ("Büşra", "Busra", "Бюшра"), ("Selin", "Селин"),
            ("Derya", "Дерья"), ("Gülşen", "Gulsen", "Гюльшен"),
        ),
        "m": (
            ("Mehmet", "Мехмет"), ("Mustafa", "Мустафа"), ("Ahmet", "Ахмет"),
            ("Hüseyin", "Huseyin", "Хусейн"), ("Hasan", "Хасан"), ("İbrahim", "Ibrahim"),
            ("Murat", "Мурат"), ("Emre", "Эмре"), ("Burak", "Бурак"), ("Kemal", "Кемаль"),
            ("Osman", "Осман"), ("Serkan", "Серкан"),
        ),
    },
    "fa": {
        "f": (
            ("Narges", "نرگس", "Наргес"), ("Shirin", "شیرین", "Ширин"), ("Maryam", "مریم"),
            ("Zahra", "زهرا"), ("Fatemeh", "فاطمه", "Fateme"), ("Nasrin", "نسرین"),
            ("Leila", "لیلا", "Leyla"), ("Sara", "سارا"), ("Parisa", "پریسا"),
            ("Mahsa", "مهسا"), ("Nazanin", "نازنین"), ("Golrokh", "گلرخ"),
        ),
        "m": (
            ("Reza", "رضا"), ("Hossein", "حسین", "Hosein"), ("Omid", "امید"),
            ("Mahmoud", "محمود", "Mahmud"), ("Ahmad", "احمد"), ("Behrouz", "بهروز"),
            ("Kian", "کیان"), ("Arash", "آرش"), ("Babak", "بابک"), ("Farhad", "فرهاد"),
            ("Saeed", "سعید", "Said"), ("Hamid", "حمید"),
        ),
    },
    "ar": {
        "f": (
            ("Layla", "ليلى"), ("Huda", "هدى"), ("Rania", "رانيا"), ("Nour", "نور"),
            ("Amal", "أمل"), ("Samira", "سميرة"), ("Yasmin", "ياسمين"), ("Mariam", "مريم"),
            ("Salma", "سلمى"), ("Dina", "دينا"), ("Hanan", "حنان"), ("Rasha", "رشا"),
        ),
        "m": (
            ("Samir", "سمير"), ("Tariq", "طارق", "Tarek"), ("Youssef", "يوسف", "Yusuf"),
            ("Omar", "عمر"), ("Khaled", "خالد", "Khalid"), ("Mahmoud", "محمود"),
            ("Hassan", "حسن"), ("Karim", "كريم"), ("Walid", "وليد"), ("Nabil", "نبيل"),
            ("Ziad", "زياد"), ("Fadi", "فادي"),
        ),
    },
    "en": {
        "f": (
            ("Mary",), ("Sarah", "Sara"), ("Emily",), ("Jessica",), ("Hannah", "Hanna"),
            ("Laura",), ("Rachel",), ("Olivia",), ("Chloe",), ("Megan",), ("Alice",), ("Helen",),
        ),
        "m": (
            ("John",), ("James",), ("Michael",), ("David",), ("Daniel",), ("Thomas",),
            ("Robert",), ("William",), ("George",), ("Peter",), ("Richard",), ("Edward",),
        ),
    },
}

SURNAMES: dict[str, tuple[Spellings, ...]] = {
    "az": (
        ("Məmmədov", "Mammadov", "Мамедов", "Mamedov"), ("Əliyev", "Aliyev", "Алиев"),
        ("Hüseynov", "Huseynov", "Гусейнов"), ("Həsənov", "Hasanov", "Гасанов"),
        ("İsmayılov", "Ismayilov", "Исмаилов"), ("Quliyev", "Guliyev", "Кулиев"),
        ("Cəfərov", "Jafarov", "Джафаров"), ("Rəhimov", "Rahimov", "Рагимов"),
        ("Abbasov", "Аббасов"), ("Bağırov", "Baghirov", "Багиров"),
        ("Nəsirov", "Nasirov", "Насиров"), ("Qasımov", "Gasimov", "Гасымов"),
        ("Səfərov", "Safarov", "Сафаров"), ("Kərimov", "Karimov", "Керимов"),
        ("Sadıqov", "Sadigov", "Садыгов"), ("Zeynalov", "Зейналов"),
        ("Mustafayev", "Мустафаев"), ("Orucov", "Orujov", "Оруджев"),
        ("Əsgərov", "Asgarov", "Аскеров"), ("Nəbiyev", "Nabiyev", "Набиев"),
        ("Şirinov", "Shirinov", "Ширинов"), ("Vəliyev", "Valiyev", "Велиев"),
        ("Paşayev", "Pashayev", "Пашаев"), ("Xəlilov", "Khalilov", "Халилов"),
    ),
    "ru": (
        ("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"), ("Васильев", "Vasiliev", "Vasilyev"),
        ("Михайлов", "Mikhailov", "Mikhaylov"), ("Фёдоров", "Fedorov", "Fyodorov"),
        ("Морозов", "Morozov"), ("Новиков", "Novikov"), ("Семёнов", "Semenov", "Semyonov"),
        ("Егоров", "Egorov", "Yegorov"), ("Степанов", "Stepanov"), ("Николаев", "Nikolaev"),
        ("Захаров", "Zakharov"), ("Григорьев", "Grigoriev", "Grigoryev"), ("Романов", "Romanov"),
        ("Тарасов", "Tarasov"), ("Белоусов", "Belousov"), ("Прохоров", "Prokhorov"),
        ("Киселёв", "Kiselev", "Kiselyov"), ("Макаров", "Makarov"), ("Андреев", "Andreev"),
        ("Широков", "Shirokov"), ("Жуков", "Zhukov"), ("Щербаков", "Shcherbakov"),
        ("Ковалёв", "Kovalev", "Kovalyov"),
    ),
    "tr": (
        ("Öztürk", "Ozturk", "Озтюрк"), ("Yıldırım", "Yildirim", "Йылдырым"),
        ("Karakaya", "Каракая"), ("Özdemir", "Ozdemir", "Оздемир"),
        ("Erdoğan", "Erdogan", "Эрдоган"), ("Korkmaz", "Коркмаз"), ("Altıntaş", "Altintas"),
        ("Karaca", "Karaja"), ("Kocabaş", "Kocabas"), ("Tunçel", "Tuncel"),
        ("Akbulut", "Акбулут"), ("Sarıkaya", "Sarikaya"), ("Gündoğdu", "Gundogdu"),
        ("Bayraktar", "Байрактар"), ("Eroğlu", "Eroglu"), ("Kahraman", "Кахраман"),
        ("Çakır", "Cakir", "Чакыр"), ("Ünal", "Unal"), ("Taşkın", "Taskin"), ("Yavuz", "Явуз"),
        ("Demir", "Демир"), ("Çelik", "Celik", "Челик"), ("Şahin", "Sahin", "Шахин"),
        ("Yılmaz", "Yilmaz", "Йылмаз"),
    ),
    "fa": (
        ("Mohammadi", "محمدی", "Мохаммади"), ("Hosseini", "حسینی", "Хоссейни"),
        ("Rezaei", "رضایی", "Rezaee"), ("Karimi", "کریمی"), ("Ahmadi", "احمدی"),
        ("Sadeghi", "صادقی", "Sadeqi"), ("Moradi", "مرادی"), ("Jafari", "جعفری", "Jafary"),
        ("Ebadi", "عبادی"), ("Sotoudeh", "ستوده", "Sotudeh"), ("Mousavi", "موسوی", "Musavi"),
        ("Rahimi", "رحیمی"), ("Kazemi", "کاظمی"), ("Hashemi", "هاشمی"), ("Najafi", "نجفی"),
        ("Sharifi", "شریفی"), ("Ghorbani", "قربانی", "Qorbani"), ("Tehrani", "تهرانی"),
        ("Nouri", "نوری", "Nuri"), ("Jalali", "جلالی"), ("Bagheri", "باقری", "Baqeri"),
        ("Shahidi", "شهیدی"), ("Farahani", "فراهانی"), ("Zamani", "زمانی"),
    ),
    "ar": (
        ("Haddad", "حداد"), ("Mansour", "منصور", "Mansur"), ("Khalil", "خليل"),
        ("Nasser", "ناصر", "Nasir"), ("Saleh", "صالح"), ("Hamdan", "حمدان"),
        ("Qasim", "قاسم", "Kassem"), ("Darwish", "درويش"), ("Zaidan", "زيدان", "Zeidan"),
        ("Bakri", "بكري"), ("Awad", "عوض"), ("Shami", "شامي"), ("Barghouti", "برغوثي"),
        ("Khatib", "خطيب"), ("Masri", "مصري"), ("Tamimi", "تميمي"), ("Othman", "عثمان"),
        ("Sabbagh", "صباغ"), ("Najjar", "نجار"), ("Fayyad", "فياض", "Fayad"),
        ("Abboud", "عبود"), ("Suleiman", "سليمان", "Sulaiman"), ("Jaber", "جابر"),
        ("Rashid", "رشيد"),
    ),
    "en": (
        ("Thompson", "Thomson"), ("Harrison",), ("Whitaker", "Whittaker"), ("Fletcher",),
        ("Holloway",), ("Pemberton",), ("Ashworth",), ("Blackwood",), ("Sinclair",),
        ("Donovan",), ("Gallagher",), ("Montgomery",), ("Kowalski",), ("Fitzgerald",),
        ("Underwood",), ("Chamberlain",), ("Hargreaves",), ("Lockhart",), ("Whitfield",),
        ("Rutherford",), ("Baker",), ("Walker",), ("Wright",), ("Turner",),
    ),
}

GENDERED_SURNAMES = frozenset({"az", "ru"})
