"""The functional suite's held-out cases: other templates, verbs and targets than
``cases_dev``, written before the figures were looked at and never used to change the
grammar. Same layout as ``cases_dev``."""

from __future__ import annotations

from cases_dev import Table

EN: Table = {
    "threat_direct": (
        [
            "I'm gonna [end] {T} for good",
            "Tomorrow I will [execute] {T} myself",
            "I will [behead] {T}, mark my words",
            "We're going to [lynch] {T}",
        ],
        [
            ("you", "person"),
            ("Leila", "named"),
            ("that reporter", "person"),
            ("the blogger", "person"),
            ("Tomas", "named"),
        ],
    ),
    "threat_group": (
        [
            "I will [exterminate] every {T} in this city",
            "We are going to [gas] the {T}",
            "I'm going to [kill] as many {T} as I can",
            "We'll [butcher] these {T}",
        ],
        [
            ("refugees", "migrants"),
            ("Roma", "roma"),
            ("lesbians", "lgbtq"),
            ("Black people", "ethnic"),
            ("Kurds", "ethnic"),
        ],
    ),
    "threat_normative": (
        [
            "{T} ought to be lynched",
            "Every one of those {T} should be executed",
            "{T} need to be wiped out",
            "The {T} deserve the rope",
        ],
        [
            ("refugees", "migrants"),
            ("Roma", "roma"),
            ("lesbians", "lgbtq"),
            ("Black people", "ethnic"),
            ("Kurds", "ethnic"),
        ],
    ),
    "threat_veiled": (
        [
            "Remember what happened to Daphne Caruana Galizia, {T}",
            "We know which school your daughter attends, {T}",
            "Enjoy your last days, {T}",
            "Sleep with one eye open, {T}",
        ],
        [
            ("Leila", "named"),
            ("Tomas", "named"),
            ("reporter", "person"),
            ("lady", "person"),
            ("pal", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Someone messaged me that they would behead {T}",
            "The caller said he was going to lynch {T}",
            'I got a DM saying "I\'m gonna end you"',
            "He posted that {T} ought to be lynched, and we reported it",
        ],
        [
            ("me", "person"),
            ("her", "person"),
            ("the reporter", "person"),
            ("them", "person"),
            ("Leila", "named"),
        ],
    ),
    "contrast_negation": (
        [
            "I would never lay a finger on {T}",
            "Nobody is going to hurt {T}",
            "We will not let anyone kill {T}",
            "I'd never want {T} dead",
        ],
        [
            ("you", "person"),
            ("her", "person"),
            ("Leila", "named"),
            ("them", "person"),
            ("the reporter", "person"),
        ],
    ),
    "contrast_idiom": (
        [
            "This heat is killing me, {T}",
            "I'd murder a pizza right now, {T}",
            "You slay, {T}!",
            "I'm going to shoot some photos later, {T}",
        ],
        [
            ("mate", "person"),
            ("Leila", "named"),
            ("babe", "person"),
            ("bro", "person"),
            ("Tomas", "named"),
        ],
    ),
    "contrast_counter": (
        [
            "Anyone who says {T} ought to be lynched should be ashamed",
            "Posts calling for {T} to be executed are hateful",
            '"The {T} deserve the rope" is incitement, full stop',
            "Calling for {T} to be wiped out is unacceptable",
        ],
        [
            ("refugees", "migrants"),
            ("Roma", "roma"),
            ("lesbians", "lgbtq"),
            ("Black people", "ethnic"),
            ("Kurds", "ethnic"),
        ],
    ),
}

ES: Table = {
    "threat_direct": (
        [
            "Te voy a [degollar], {T}",
            "Mañana voy a [ejecutar] a {T}",
            "Os vamos a [linchar], {T}",
            "Juro que voy a [estrangular] a {T}",
        ],
        [
            ("Lucía", "named"),
            ("Tomás", "named"),
            ("ese bloguero", "person"),
            ("la periodista", "person"),
            ("tu primo", "person"),
        ],
    ),
    "threat_group": (
        [
            "Vamos a [exterminar] a todos los {T}",
            "Voy a [gasear] a esos {T}",
            "Pienso [linchar] a los {T} del barrio",
            "Vamos a [quemar] a cada uno de los {T}",
        ],
        [
            ("refugiados", "migrants"),
            ("gitanos", "roma"),
            ("lesbianas", "lgbtq"),
            ("negros", "ethnic"),
            ("sudacas", "ethnic"),
        ],
    ),
    "threat_normative": (
        [
            "Los {T} merecen ser linchados",
            "A los {T} habría que colgarlos a todos",
            "Todos los {T} deberían ser gaseados",
            "Los {T} tienen que morir",
        ],
        [
            ("refugiados", "migrants"),
            ("gitanos", "roma"),
            ("lesbianas", "lgbtq"),
            ("negros", "ethnic"),
            ("sudacas", "ethnic"),
        ],
    ),
    "threat_veiled": (
        [
            "Acuérdate de lo que le pasó a Daphne Caruana Galizia, {T}",
            "Sabemos en qué colegio estudia tu hija, {T}",
            "Disfruta tus últimos días, {T}",
            "Te estamos vigilando, {T}",
        ],
        [
            ("Lucía", "named"),
            ("Tomás", "named"),
            ("periodista", "person"),
            ("señora", "person"),
            ("listillo", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Un hombre me escribió que me iba a degollar",
            "El que llamó dijo que iba a linchar a {T}",
            'Recibí un mensaje que decía "te vamos a ejecutar"',
            "Publicó que los {T} merecen ser linchados y lo denunciamos",
        ],
        [
            ("me", "person"),
            ("ella", "person"),
            ("la periodista", "person"),
            ("ellos", "person"),
            ("Lucía", "named"),
        ],
    ),
    "contrast_negation": (
        [
            "Nunca le pondría la mano encima a {T}",
            "Nadie va a hacer daño a {T}",
            "No dejaremos que nadie mate a {T}",
            "Jamás querría ver muerta a {T}",
        ],
        [
            ("Lucía", "named"),
            ("mi hermana", "person"),
            ("la periodista", "person"),
            ("tu madre", "person"),
            ("nadie", "person"),
        ],
    ),
    "contrast_idiom": (
        [
            "Este calor me está matando, {T}",
            "Me comería una pizza ahora mismo, {T}",
            "Voy a sacar unas fotos luego, {T}",
            "Me muero de ganas de verte, {T}",
        ],
        [
            ("tío", "person"),
            ("Lucía", "named"),
            ("guapa", "person"),
            ("hermano", "person"),
            ("Tomás", "named"),
        ],
    ),
    "contrast_counter": (
        [
            "Quien dice que los {T} merecen ser linchados debería avergonzarse",
            "Los mensajes que piden gasear a los {T} son odio",
            '"Los {T} tienen que morir" es incitación al odio',
            "Pedir que cuelguen a los {T} es inaceptable",
        ],
        [
            ("refugiados", "migrants"),
            ("gitanos", "roma"),
            ("lesbianas", "lgbtq"),
            ("negros", "ethnic"),
            ("sudacas", "ethnic"),
        ],
    ),
}

FR: Table = {
    "threat_direct": (
        [
            "Je vais te [saigner], {T}",
            "Demain je vais [exécuter] {T}",
            "On va [lyncher] {T}",
            "Je jure que je vais [étrangler] {T}",
        ],
        [
            ("Lucie", "named"),
            ("Thomas", "named"),
            ("ce blogueur", "person"),
            ("la journaliste", "person"),
            ("ton cousin", "person"),
        ],
    ),
    "threat_group": (
        [
            "On va [exterminer] tous les {T}",
            "Je vais [gazer] ces {T}",
            "On va [lyncher] les {T} du quartier",
            "Je vais [cramer] chacun de ces {T}",
        ],
        [
            ("réfugiés", "migrants"),
            ("Roms", "roma"),
            ("lesbiennes", "lgbtq"),
            ("Noirs", "ethnic"),
            ("Kurdes", "ethnic"),
        ],
    ),
    "threat_normative": (
        [
            "Les {T} méritent d'être lynchés",
            "Il faudrait pendre tous les {T}",
            "Tous les {T} devraient être gazés",
            "Les {T} doivent crever",
        ],
        [
            ("réfugiés", "migrants"),
            ("Roms", "roma"),
            ("lesbiennes", "lgbtq"),
            ("Noirs", "ethnic"),
            ("Kurdes", "ethnic"),
        ],
    ),
    "threat_veiled": (
        [
            "Souviens-toi de ce qui est arrivé à Daphne Caruana Galizia, {T}",
            "On sait dans quelle école va ta fille, {T}",
            "Profite de tes derniers jours, {T}",
            "On te surveille, {T}",
        ],
        [
            ("Lucie", "named"),
            ("Thomas", "named"),
            ("le journaliste", "person"),
            ("madame", "person"),
            ("petit malin", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Un homme m'a écrit qu'il allait m'égorger",
            "L'appelant a dit qu'il allait lyncher {T}",
            "J'ai reçu un message disant « on va t'exécuter »",
            "Il a publié que les {T} méritent d'être lynchés, on l'a signalé",
        ],
        [
            ("moi", "person"),
            ("elle", "person"),
            ("la journaliste", "person"),
            ("eux", "person"),
            ("Lucie", "named"),
        ],
    ),
    "contrast_negation": (
        [
            "Je ne lèverais jamais la main sur {T}",
            "Personne ne va faire de mal à {T}",
            "Nous ne laisserons personne tuer {T}",
            "Je ne voudrais jamais voir {T} mort",
        ],
        [
            ("Lucie", "named"),
            ("ma sœur", "person"),
            ("la journaliste", "person"),
            ("ta mère", "person"),
            ("Thomas", "named"),
        ],
    ),
    "contrast_idiom": (
        [
            "Cette chaleur me tue, {T}",
            "Je mangerais bien une pizza, {T}",
            "Je vais prendre des photos plus tard, {T}",
            "Je meurs d'envie de te voir, {T}",
        ],
        [
            ("mec", "person"),
            ("Lucie", "named"),
            ("ma belle", "person"),
            ("frérot", "person"),
            ("Thomas", "named"),
        ],
    ),
    "contrast_counter": (
        [
            "Ceux qui disent que les {T} méritent d'être lynchés devraient avoir honte",
            "Les messages qui appellent à gazer les {T} sont haineux",
            "« Les {T} doivent crever » est une incitation à la haine",
            "Appeler à pendre les {T} est inacceptable",
        ],
        [
            ("réfugiés", "migrants"),
            ("Roms", "roma"),
            ("lesbiennes", "lgbtq"),
            ("Noirs", "ethnic"),
            ("Kurdes", "ethnic"),
        ],
    ),
}

RU: Table = {
    "threat_direct": (
        [
            "Я [прирежу] {T}",
            "Завтра я [казню] {T}",
            "Мы [утопим] {T}",
            "Клянусь, я [раздавлю] {T}",
        ],
        [
            ("тебя", "person"),
            ("Лену", "named"),
            ("этого блогера", "person"),
            ("журналистку", "person"),
            ("Тимура", "named"),
        ],
    ),
    "threat_group": (
        [
            "Мы [истребим] всех {T}",
            "Я [перебью] этих {T}",
            "Мы будем [вешать] {T} на столбах",
            "Я [вырежу] всех {T} в районе",
        ],
        [
            ("беженцев", "migrants"),
            ("цыган", "roma"),
            ("лесбиянок", "lgbtq"),
            ("таджиков", "ethnic"),
            ("армян", "ethnic"),
        ],
    ),
    "threat_normative": (
        [
            "{T} нужно казнить",
            "Всех {T} надо бы утопить",
            "Таких {T} следует истребить",
            "{T} пора на виселицу",
        ],
        [
            ("беженцев", "migrants"),
            ("цыган", "roma"),
            ("лесбиянок", "lgbtq"),
            ("таджиков", "ethnic"),
            ("армян", "ethnic"),
        ],
    ),
    "threat_veiled": (
        [
            "Вспомни, что случилось с Дафной Каруаной Галицией, {T}",
            "Мы знаем, в какую школу ходит твоя дочь, {T}",
            "Наслаждайся последними днями, {T}",
            "Мы за тобой следим, {T}",
        ],
        [
            ("Лена", "named"),
            ("Тимур", "named"),
            ("журналист", "person"),
            ("дамочка", "person"),
            ("умник", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Мне написали, что меня прирежут",
            "Звонивший сказал, что казнит {T}",
            "Мне пришло сообщение «мы тебя утопим»",
            "Он написал, что {T} нужно казнить, и мы пожаловались",
        ],
        [
            ("тебя", "person"),
            ("её", "person"),
            ("журналистку", "person"),
            ("их", "person"),
            ("Лену", "named"),
        ],
    ),
    "contrast_negation": (
        [
            "Я никогда не подниму руку на {T}",
            "Никто не причинит вреда {D}",
            "Мы не дадим никому убить {T}",
            "Я бы никогда не желал смерти {D}",
        ],
        [
            ("тебя", "person"),
            ("Лену", "named"),
            ("журналистку", "person"),
            ("твою мать", "person"),
            ("Тимура", "named"),
        ],
    ),
    "contrast_idiom": (
        [
            "Эта жара меня убивает, {T}",
            "Я бы сейчас съел пиццу, {T}",
            "Я потом пофоткаю, {T}",
            "Умираю как хочу тебя увидеть, {T}",
        ],
        [
            ("брат", "person"),
            ("Лена", "named"),
            ("солнце", "person"),
            ("дружище", "person"),
            ("Тимур", "named"),
        ],
    ),
    "contrast_counter": (
        [
            "Тем, кто пишет, что {T} нужно казнить, должно быть стыдно",
            "Призывы утопить {T} — это ненависть",
            "«{T} пора на виселицу» — разжигание ненависти",
            "Призывать истребить {T} недопустимо",
        ],
        [
            ("беженцев", "migrants"),
            ("цыган", "roma"),
            ("лесбиянок", "lgbtq"),
            ("таджиков", "ethnic"),
            ("армян", "ethnic"),
        ],
    ),
}
RU_DATIVE = {
    "тебя": "тебе",
    "Лену": "Лене",
    "журналистку": "журналистке",
    "твою мать": "твоей матери",
    "Тимура": "Тимуру",
}

TR: Table = {
    "threat_direct": (
        [
            "{T} [boğazlayacağım]",
            "Yarın {T} [infaz edeceğiz]",
            "{T} [linç edeceğiz]",
            "Yemin olsun {T} [bıçaklayacağım]",
        ],
        [
            ("seni", "person"),
            ("Elif'i", "named"),
            ("o blogcuyu", "person"),
            ("o muhabiri", "person"),
            ("kuzenini", "person"),
        ],
    ),
    "threat_group": (
        [
            "Bütün {T} [yok edeceğiz]",
            "Şu {T} [gebertecem]",
            "Mahalledeki {T} [linç edeceğiz]",
            "Tüm {T} [kurşunlayacağız]",
        ],
        [
            ("mültecileri", "migrants"),
            ("Romanları", "roma"),
            ("lezbiyenleri", "lgbtq"),
            ("Afganları", "migrants"),
            ("Alevileri", "religion"),
        ],
    ),
    "threat_normative": (
        [
            "{N} linç edilmeli",
            "Bütün {N} yok edilmeli",
            "{N} gebermeli",
            "{N} ipe çekilmeli",
        ],
        [
            ("mültecileri", "migrants"),
            ("Romanları", "roma"),
            ("lezbiyenleri", "lgbtq"),
            ("Afganları", "migrants"),
            ("Alevileri", "religion"),
        ],
    ),
    "threat_veiled": (
        [
            "Daphne Caruana Galizia'ya ne olduğunu hatırla {T}",
            "Kızının hangi okulda okuduğunu biliyoruz {T}",
            "Son günlerinin tadını çıkar {T}",
            "Seni izliyoruz {T}",
        ],
        [
            ("Elif", "named"),
            ("Emre", "named"),
            ("gazeteci", "person"),
            ("hanımefendi", "person"),
            ("akıllı", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Biri beni boğazlayacağını yazdı",
            "Arayan adam {T} linç edeceğini söyledi",
            '"Seni infaz edeceğiz" diye bir mesaj geldi',
            "{N} linç edilmeli diye paylaşım yaptı, şikayet ettik",
        ],
        [
            ("seni", "person"),
            ("Elif'i", "named"),
            ("muhabiri", "person"),
            ("mültecileri", "migrants"),
            ("kuzenini", "person"),
        ],
    ),
    "contrast_negation": (
        [
            "{T} asla el kaldırmam",
            "Kimse {T} zarar vermeyecek",
            "{T} kimse dokunamaz",
            "{T} hiçbir zaman kötülük yapmam",
        ],
        [
            ("sana", "person"),
            ("Elif'e", "named"),
            ("muhabire", "person"),
            ("annene", "person"),
            ("Emre'ye", "named"),
        ],
    ),
    "contrast_idiom": (
        [
            "Bu sıcak beni öldürüyor {T}",
            "Şu an bir pizza yerim {T}",
            "Sonra biraz fotoğraf çekeceğim {T}",
            "Seni görmek için can atıyorum {T}",
        ],
        [
            ("kanka", "person"),
            ("Elif", "named"),
            ("güzelim", "person"),
            ("abi", "person"),
            ("Emre", "named"),
        ],
    ),
    "contrast_counter": (
        [
            "{N} linç edilmeli diyenler utansın",
            "{T} yok edin çağrısı nefret söylemidir",
            '"{N} gebermeli" demek suçtur',
            "{N} ipe çekilmeli demek kabul edilemez",
        ],
        [
            ("mültecileri", "migrants"),
            ("Romanları", "roma"),
            ("lezbiyenleri", "lgbtq"),
            ("Afganları", "migrants"),
            ("Alevileri", "religion"),
        ],
    ),
}
TR_NOM = {
    "mültecileri": "Mülteciler",
    "Romanları": "Romanlar",
    "lezbiyenleri": "Lezbiyenler",
    "Afganları": "Afganlar",
    "Alevileri": "Aleviler",
}

AZ: Table = {
    "threat_direct": (
        [
            "{T} [boğazlayacağam]",
            "Sabah {T} [edam edəcəyik]",
            "{T} [linç edəcəyik]",
            "And olsun {T} [bıçaqlayacağam]",
        ],
        [
            ("səni", "person"),
            ("Nərmin'i", "named"),
            ("o bloqeri", "person"),
            ("o müxbiri", "person"),
            ("əmioğlunu", "person"),
        ],
    ),
    "threat_group": (
        [
            "Bütün {T} [məhv edəcəyik]",
            "Bu {T} [güllələyəcəyəm]",
            "Məhəllədəki {T} [doğrayacağıq]",
            "Bütün {T} [yandıracağam]",
        ],
        [
            ("qaçqınları", "migrants"),
            ("qaraçıları", "roma"),
            ("lezbiyanları", "lgbtq"),
            ("ləzgiləri", "ethnic"),
            ("şiələri", "religion"),
        ],
    ),
    "threat_normative": (
        [
            "{N} məhv edilməlidir",
            "Bütün {N} güllələnməlidir",
            "{N} ölməlidir",
            "{N} yandırılmalıdır",
        ],
        [
            ("qaçqınları", "migrants"),
            ("qaraçıları", "roma"),
            ("lezbiyanları", "lgbtq"),
            ("ləzgiləri", "ethnic"),
            ("şiələri", "religion"),
        ],
    ),
    "threat_veiled": (
        [
            "Daphne Caruana Galizia'nın başına gələni xatırla {T}",
            "Qızının hansı məktəbdə oxuduğunu bilirik {T}",
            "Son günlərinin dadını çıxar {T}",
            "Səni izləyirik {T}",
        ],
        [
            ("Nərmin", "named"),
            ("Elçin", "named"),
            ("jurnalist", "person"),
            ("xanım", "person"),
            ("ağıllı", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Kimsə məni boğazlayacağını yazdı",
            "Zəng edən kişi {T} linç edəcəyini dedi",
            '"Səni edam edəcəyik" deyə mesaj gəldi',
            "{N} məhv edilməlidir deyə paylaşım etdi, şikayət etdik",
        ],
        [
            ("səni", "person"),
            ("Nərmin'i", "named"),
            ("müxbiri", "person"),
            ("qaçqınları", "migrants"),
            ("əmioğlunu", "person"),
        ],
    ),
    "contrast_negation": (
        [
            "{T} heç vaxt əl qaldırmaram",
            "Heç kim {T} zərər verməyəcək",
            "{T} heç kim toxuna bilməz",
            "{T} heç vaxt pislik etmərəm",
        ],
        [
            ("sənə", "person"),
            ("Nərmin'ə", "named"),
            ("müxbirə", "person"),
            ("anana", "person"),
            ("Elçin'ə", "named"),
        ],
    ),
    "contrast_idiom": (
        [
            "Bu isti məni öldürür {T}",
            "İndi bir pizza yeyərdim {T}",
            "Sonra bir az şəkil çəkəcəyəm {T}",
            "Səni görmək üçün ölürəm {T}",
        ],
        [
            ("qardaş", "person"),
            ("Nərmin", "named"),
            ("gözəlim", "person"),
            ("dostum", "person"),
            ("Elçin", "named"),
        ],
    ),
    "contrast_counter": (
        [
            "{N} məhv edilməlidir deyənlər utansın",
            "{T} güllələyin çağırışı nifrət nitqidir",
            '"{N} ölməlidir" demək cinayətdir',
            "{N} yandırılmalıdır demək qəbuledilməzdir",
        ],
        [
            ("qaçqınları", "migrants"),
            ("qaraçıları", "roma"),
            ("lezbiyanları", "lgbtq"),
            ("ləzgiləri", "ethnic"),
            ("şiələri", "religion"),
        ],
    ),
}
AZ_NOM = {
    "qaçqınları": "Qaçqınlar",
    "qaraçıları": "Qaraçılar",
    "lezbiyanları": "Lezbiyanlar",
    "ləzgiləri": "Ləzgilər",
    "şiələri": "Şiələr",
}

AR: Table = {
    "threat_direct": (
        [
            "[سأنحر] {T}",
            "غدا [سنعدم] {T}",
            "والله [سأخنق] {T}",
            "راح [أسحل] {T} في الشارع",
        ],
        [
            ("هذا المدون", "person"),
            ("ليلى", "named"),
            ("الصحفية", "person"),
            ("ابن عمك", "person"),
            ("طارق", "named"),
        ],
    ),
    "threat_group": (
        [
            "[سنبيد] كل {T}",
            "راح [نصفي] جميع {T}",
            "[سنحرق] كل {T} في الحي",
            "والله [سأذبح] كل {T}",
        ],
        [
            ("الغجر", "roma"),
            ("اللاجئين السوريين", "migrants"),
            ("المثليات", "lgbtq"),
            ("الأفارقة", "ethnic"),
            ("البهائيين", "religion"),
        ],
    ),
    "threat_normative": (
        [
            "{T} يستحقون الذبح",
            "لازم يتحرقوا {T} كلهم",
            "{T} لازم يموتوا",
            "يجب رجم {T}",
        ],
        [
            ("الغجر", "roma"),
            ("اللاجئين السوريين", "migrants"),
            ("المثليات", "lgbtq"),
            ("الأفارقة", "ethnic"),
            ("البهائيين", "religion"),
        ],
    ),
    "threat_veiled": (
        [
            "تذكر ما حدث لدافني كاروانا غاليزيا يا {T}",
            "نعرف في أي مدرسة تدرس ابنتك يا {T}",
            "استمتع بأيامك الأخيرة يا {T}",
            "عيوننا عليك يا {T}",
        ],
        [
            ("ليلى", "named"),
            ("طارق", "named"),
            ("صحفي", "person"),
            ("مدام", "person"),
            ("شاطر", "person"),
        ],
    ),
    "contrast_report": (
        [
            "كتب لي شخص أنه سينحرني",
            "قال المتصل إنه سيخنق {T}",
            'وصلتني رسالة تقول "سنعدمك"',
            "نشر أن {T} يستحقون الذبح فأبلغنا عنه",
        ],
        [
            ("ليلى", "named"),
            ("الصحفية", "person"),
            ("الغجر", "roma"),
            ("المثليات", "lgbtq"),
            ("ابن عمك", "person"),
        ],
    ),
    "contrast_negation": (
        [
            "لن أمد يدي على {T} أبدا",
            "لن يؤذي أحد {T}",
            "لن نسمح لأحد بقتل {T}",
            "لا أتمنى الموت لـ{T} أبدا",
        ],
        [
            ("ليلى", "named"),
            ("الصحفية", "person"),
            ("أمك", "person"),
            ("طارق", "named"),
            ("أحد", "person"),
        ],
    ),
    "contrast_idiom": (
        [
            "هذا الحر يقتلني يا {T}",
            "بموت على بيتزا هلق يا {T}",
            "سأصور بعض الصور لاحقا يا {T}",
            "أموت شوقا لرؤيتك يا {T}",
        ],
        [
            ("صاحبي", "person"),
            ("ليلى", "named"),
            ("حبيبتي", "person"),
            ("أخي", "person"),
            ("طارق", "named"),
        ],
    ),
    "contrast_counter": (
        [
            "من يقول إن {T} يستحقون الذبح يجب أن يخجل",
            "الدعوات لحرق {T} خطاب كراهية",
            '"{T} لازم يموتوا" تحريض مرفوض',
            "الدعوة إلى رجم {T} غير مقبولة",
        ],
        [
            ("الغجر", "roma"),
            ("اللاجئين السوريين", "migrants"),
            ("المثليات", "lgbtq"),
            ("الأفارقة", "ethnic"),
            ("البهائيين", "religion"),
        ],
    ),
}

FA: Table = {
    "threat_direct": (
        [
            "{T} [خفه می‌کنم]",
            "فردا {T} [اعدام می‌کنیم]",
            "{T} [تکه‌تکه می‌کنم]",
            "به خدا قسم {T} [می‌کشم]",
        ],
        [
            ("این وبلاگ‌نویس را", "person"),
            ("لیلا را", "named"),
            ("آن خبرنگار را", "person"),
            ("پسرعمویت را", "person"),
            ("بابک را", "named"),
        ],
    ),
    "threat_group": (
        [
            "همه‌ی {T} را [نابود می‌کنیم]",
            "این {T} را [سر می‌بریم]",
            "{T} محله را [آتش می‌زنیم]",
            "تک‌تک {T} را [می‌کشیم]",
        ],
        [
            ("کولی‌ها", "roma"),
            ("پناهجوها", "migrants"),
            ("لزبین‌ها", "lgbtq"),
            ("بلوچ‌ها", "ethnic"),
            ("دراویش", "religion"),
        ],
    ),
    "threat_normative": (
        [
            "{T} باید سنگسار شوند",
            "همه‌ی {T} باید نابود شوند",
            "{T} لایق مرگ هستند",
            "{T} را باید به دار آویخت",
        ],
        [
            ("کولی‌ها", "roma"),
            ("پناهجوها", "migrants"),
            ("لزبین‌ها", "lgbtq"),
            ("بلوچ‌ها", "ethnic"),
            ("دراویش", "religion"),
        ],
    ),
    "threat_veiled": (
        [
            "یادت باشد چه بلایی سر دافنه کاروانا گالیزیا آمد {T}",
            "می‌دانیم دخترت در کدام مدرسه درس می‌خواند {T}",
            "از روزهای آخرت لذت ببر {T}",
            "زیر نظرت داریم {T}",
        ],
        [
            ("لیلا", "named"),
            ("بابک", "named"),
            ("خبرنگار", "person"),
            ("خانم", "person"),
            ("زرنگ", "person"),
        ],
    ),
    "contrast_report": (
        [
            "یک نفر برایم نوشت که سرم را خواهد برید",
            "تماس‌گیرنده گفت که {T} خفه خواهد کرد",
            "پیامی آمد که «اعدامت می‌کنیم»",
            "نوشته بود که {T} باید سنگسار شوند و ما گزارشش دادیم",
        ],
        [
            ("لیلا را", "named"),
            ("خبرنگار را", "person"),
            ("کولی‌ها", "roma"),
            ("لزبین‌ها", "lgbtq"),
            ("بابک را", "named"),
        ],
    ),
    "contrast_negation": (
        [
            "هرگز روی {P} دست بلند نمی‌کنم",
            "هیچ‌کس به {P} آسیبی نمی‌زند",
            "نمی‌گذاریم کسی {T} بکشد",
            "هرگز مرگ {P} را نمی‌خواهم",
        ],
        [
            ("لیلا را", "named"),
            ("خبرنگار را", "person"),
            ("مادرت را", "person"),
            ("بابک را", "named"),
            ("او را", "person"),
        ],
    ),
    "contrast_idiom": (
        [
            "این گرما مرا کشت {T}",
            "الان برای یک پیتزا جان می‌دهم {T}",
            "بعدا چند عکس می‌گیرم {T}",
            "دارم برای دیدنت می‌میرم {T}",
        ],
        [
            ("رفیق", "person"),
            ("لیلا", "named"),
            ("عزیزم", "person"),
            ("داداش", "person"),
            ("بابک", "named"),
        ],
    ),
    "contrast_counter": (
        [
            "کسانی که می‌گویند {T} باید سنگسار شوند باید شرم کنند",
            "دعوت به نابودی {T} نفرت‌پراکنی است",
            "«{T} لایق مرگ هستند» تحریک به خشونت است",
            "گفتن اینکه {T} را باید به دار آویخت غیرقابل قبول است",
        ],
        [
            ("کولی‌ها", "roma"),
            ("پناهجوها", "migrants"),
            ("لزبین‌ها", "lgbtq"),
            ("بلوچ‌ها", "ethnic"),
            ("دراویش", "religion"),
        ],
    ),
}

LANGUAGES: dict[str, Table] = {
    "en": EN,
    "ar": AR,
    "az": AZ,
    "es": ES,
    "fa": FA,
    "fr": FR,
    "ru": RU,
    "tr": TR,
}
NOMINATIVE: dict[str, dict[str, str]] = {"tr": TR_NOM, "az": AZ_NOM}
DATIVE: dict[str, dict[str, str]] = {"ru": RU_DATIVE}

# Hate per target group, held out: other words and constructions than cases_hate.
_HO_T = {
    "en": [("refugees", "migrants"), ("lesbians", "lgbtq"), ("Roma", "roma"), ("Arabs", "ethnic")],
    "es": [
        ("los refugiados", "migrants"),
        ("las lesbianas", "lgbtq"),
        ("los moros", "ethnic"),
        ("las feministas", "women"),
    ],
    "fr": [
        ("les réfugiés", "migrants"),
        ("les lesbiennes", "lgbtq"),
        ("les Arabes", "ethnic"),
        ("les féministes", "women"),
    ],
    "ru": [
        ("беженцы", "migrants"),
        ("лесбиянки", "lgbtq"),
        ("таджики", "ethnic"),
        ("феминистки", "women"),
    ],
    "tr": [
        ("mülteciler", "migrants"),
        ("lezbiyenler", "lgbtq"),
        ("Ermeniler", "ethnic"),
        ("feministler", "women"),
    ],
    "az": [
        ("miqrantlar", "migrants"),
        ("lezbiyanlar", "lgbtq"),
        ("ruslar", "ethnic"),
        ("feministlər", "women"),
    ],
    "ar": [
        ("المهاجرون", "migrants"),
        ("السحاقيات", "lgbtq"),
        ("الأفارقة", "ethnic"),
        ("النسويات", "women"),
    ],
    "fa": [
        ("پناهجوها", "migrants"),
        ("لزبین‌ها", "lgbtq"),
        ("بلوچ‌ها", "ethnic"),
        ("فمینیست‌ها", "women"),
    ],
}
_HO_TEMPLATES = {
    "en": (
        [
            "{T} are cockroaches, nothing more",
            "{T} are parasites living off us",
            "Honestly {T} are just filthy rats",
            "{T} are not even human",
            "I can't stand {T}",
        ],
        [
            "{T} organised a food bank this week",
            "My neighbours are {T}",
            "A new study looks at {T} in schools",
            "{T} joined the march for climate",
            "We interviewed three {T} for the podcast",
        ],
    ),
    "es": (
        [
            "{T} son cucarachas y nada más",
            "{T} son parásitos que viven de nosotros",
            "{T} son ratas inmundas",
            "{T} ni siquiera son humanos",
            "No soporto a {T}",
        ],
        [
            "{T} organizaron un banco de alimentos",
            "Mis vecinos son parte de {T} del barrio",
            "Un estudio sobre {T} en las escuelas",
            "{T} se unieron a la marcha por el clima",
            "Entrevistamos a {T} para el pódcast",
        ],
    ),
    "fr": (
        [
            "{T} sont des cafards, rien de plus",
            "{T} sont des parasites qui vivent sur notre dos",
            "{T} sont des rats immondes",
            "{T} ne sont même pas humains",
            "Je ne supporte pas {T}",
        ],
        [
            "{T} ont organisé une banque alimentaire",
            "Une étude sur {T} à l'école",
            "{T} ont rejoint la marche pour le climat",
            "Nous avons interviewé {T} pour le podcast",
            "{T} ont ouvert un café dans le quartier",
        ],
    ),
    "ru": (
        [
            "{T} — тараканы, не больше",
            "{T} — паразиты на нашей шее",
            "{T} — грязные крысы",
            "{T} даже не люди",
            "Терпеть не могу, когда {T} рядом",
        ],
        [
            "{T} организовали раздачу еды",
            "Исследование о том, как {T} учатся",
            "{T} вышли на климатический марш",
            "Мы взяли интервью, {T} рассказали о себе",
            "{T} открыли кафе в районе",
        ],
    ),
    "tr": (
        [
            "{T} hamamböceği, başka bir şey değil",
            "{T} sırtımızdan geçinen parazitler",
            "{T} pis fareler",
            "{T} insan bile değil",
            "{T} hiç çekemiyorum",
        ],
        [
            "{T} bu hafta gıda bankası kurdu",
            "{T} okullarda nasıl, yeni bir araştırma var",
            "{T} iklim yürüyüşüne katıldı",
            "Podcast için {T} ile konuştuk",
            "{T} mahallede bir kafe açtı",
        ],
    ),
    "az": (
        [
            "{T} tarakandır, başqa heç nə",
            "{T} bizim hesabımıza yaşayan parazitlərdir",
            "{T} çirkin siçovullardır",
            "{T} heç insan deyil",
            "{T} heç gözüm görmür",
        ],
        [
            "{T} bu həftə ərzaq bankı təşkil etdi",
            "{T} məktəbdə necədir, yeni araşdırma var",
            "{T} iqlim yürüşünə qoşuldu",
            "Podkast üçün {T} ilə danışdıq",
            "{T} məhəllədə kafe açdı",
        ],
    ),
    "ar": (
        [
            "{T} صراصير لا أكثر",
            "{T} طفيليات تعيش على حسابنا",
            "{T} جرذان قذرة",
            "{T} ليسوا حتى بشرا",
            "لا أطيق {T}",
        ],
        [
            "{T} نظموا بنك طعام هذا الأسبوع",
            "دراسة جديدة عن {T} في المدارس",
            "{T} انضموا إلى مسيرة المناخ",
            "أجرينا مقابلة مع {T} للبودكاست",
            "{T} افتتحوا مقهى في الحي",
        ],
    ),
    "fa": (
        [
            "{T} سوسک‌اند و بس",
            "{T} انگل‌هایی هستند که از ما می‌خورند",
            "{T} موش‌های کثیفی هستند",
            "{T} حتی آدم هم نیستند",
            "چشم دیدن {T} را ندارم",
        ],
        [
            "{T} این هفته بانک غذا راه انداختند",
            "پژوهشی تازه درباره‌ی {T} در مدرسه‌ها",
            "{T} به راهپیمایی اقلیم پیوستند",
            "برای پادکست با {T} گفت‌وگو کردیم",
            "{T} در محله کافه‌ای باز کردند",
        ],
    ),
}
for _lang, (_hate, _neutral) in _HO_TEMPLATES.items():
    LANGUAGES[_lang]["hate_derogation"] = (_hate, _HO_T[_lang])
    LANGUAGES[_lang]["contrast_neutral_group"] = (_neutral, _HO_T[_lang])
