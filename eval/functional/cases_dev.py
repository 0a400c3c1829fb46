"""The functional suite's development cases: templates and fillers per language and
functionality. ``{T}`` is a person or a group (as the language inflects it in that place);
a word in brackets is the one the obfuscation cases disguise. Written for this project."""

from __future__ import annotations

# functionality → (templates, fillers); fillers are (text, target group) pairs
Table = dict[str, tuple[list[str], list[tuple[str, str]]]]

EN_PEOPLE = [
    ("you", "person"),
    ("Maria", "named"),
    ("that journalist", "person"),
    ("this activist", "person"),
    ("Karim", "named"),
]
EN_GROUPS = [
    ("immigrants", "migrants"),
    ("Muslims", "muslims"),
    ("gay people", "lgbtq"),
    ("trans women", "lgbtq"),
    ("Jews", "jews"),
    ("disabled people", "disabled"),
]
EN_GROUP_SG = [
    ("immigrant", "migrants"),
    ("Muslim", "muslims"),
    ("gay man", "lgbtq"),
    ("trans woman", "lgbtq"),
    ("Jew", "jews"),
    ("disabled person", "disabled"),
]

EN: Table = {
    "threat_direct": (
        [
            "I will [kill] {T}",
            "I'm going to [murder] {T} tomorrow",
            "I am really going to [stab] {T}",
            "We will [hang] {T} from a tree",
            "I swear I'll [shoot] {T}",
            "Gonna [strangle] {T} tonight, I'm gonna [strangle] {T}",
            "I'm going to personally [kill] {T}",
            "We are going to [burn] {T} alive",
        ],
        [*EN_PEOPLE, ("her", "person"), ("him", "person"), ("the lawyer", "person")],
    ),
    "threat_group": (
        [
            "I am going to [kill] all {T}",
            "We will [slaughter] every last one of the {T}",
            "I will [shoot] the first {T} I see",
            "We're gonna [burn] all the {T} out of this town",
            "I'm going to [murder] {T}, all of them",
            "Next time I see {T} I will [kill] them",
            "I will [stab] any of those {T} who comes here",
        ],
        EN_GROUPS,
    ),
    "threat_normative": (
        [
            "{T} should be hanged",
            "All {T} deserve to die",
            "{T} must be exterminated",
            "{T} should all be shot",
            "Those {T} need to be put down",
            "{T} deserve a bullet",
            "Honestly {T} should just be gassed",
            "We must not let any of those {T} live",
        ],
        EN_GROUPS,
    ),
    "threat_veiled": (
        [
            "We know where your children go to school, {T}",
            "You'll end up like Khashoggi, {T}",
            "{T}, your days are numbered",
            "Nice family you have, {T}. Would be a shame if something happened to them",
            "We know where you live, {T}",
            "Keep writing and you'll end up in a ditch, {T}",
            "Watch your back, {T}",
            "If you publish that again you will die, {T}",
        ],
        [
            ("Maria", "named"),
            ("Karim", "named"),
            ("journalist", "person"),
            ("sweetheart", "person"),
            ("Ahmed", "named"),
        ],
    ),
    "contrast_report": (
        [
            "He wrote that he would kill me",
            "She told me someone threatened to kill {T}",
            'I received a message saying "I will kill you"',
            "They said {T} should be hanged and I reported it",
            "My neighbour wrote that he would shoot {T}",
            "The police say a man threatened to stab {T}",
            "According to the post, someone promised to hang {T}",
            'A troll wrote: "we know where you live"',
        ],
        [
            ("me", "person"),
            ("her", "person"),
            ("the journalist", "person"),
            ("them", "person"),
            ("Maria", "named"),
        ],
    ),
    "contrast_negation": (
        [
            "I would never hurt {T}",
            "No one deserves to die, not even {T}",
            "Nobody should be killed, including {T}",
            "I'm not going to kill {T}, relax",
            "I would never shoot {T}",
            "None of us should hurt {T}",
            "We will never let anyone harm {T}",
            "I won't kill {T}, I promise",
        ],
        [
            ("you", "person"),
            ("them", "person"),
            ("him", "person"),
            ("her", "person"),
            ("anyone", "person"),
        ],
    ),
    "contrast_idiom": (
        [
            "I could kill for a coffee right now",
            "I'm going to kill it at the interview today",
            "I'll shoot you an email tomorrow",
            "I'm going to destroy you at chess tonight",
            "You're killing me with these jokes",
            "My feet are killing me",
            "I'll kill you at Mario Kart later",
            "That comedian absolutely murdered the crowd",
            "We'll beat you in the final, {T}",
            "I'm dying to see {T} again",
        ],
        [("you", "person"), ("Maria", "named"), ("mate", "person"), ("guys", "person")],
    ),
    "contrast_counter": (
        [
            "Saying that {T} should be hanged is disgusting",
            "Stop telling people that {T} deserve to die",
            '"All {T} should be shot" is hate speech and I reported it',
            "People who say {T} must be exterminated are vile",
            'Threats like "we will kill all {T}" are not okay',
            "I condemn everyone chanting that {T} should be burned",
            "How can anyone write that {T} deserve a bullet?",
            'Tweets like "death to {T}" have no place here',
        ],
        EN_GROUPS,
    ),
}

ES_PEOPLE = [
    ("a ese periodista", "person"),
    ("a María", "named"),
    ("a esa activista", "person"),
    ("a Karim", "named"),
    ("a tu hermano", "person"),
    ("a la abogada", "person"),
]
ES_GROUPS = [
    ("inmigrantes", "migrants"),
    ("musulmanes", "muslims"),
    ("maricones", "lgbtq"),
    ("judíos", "jews"),
    ("gitanos", "roma"),
    ("moros", "muslims"),
    ("feministas", "women"),
]
ES: Table = {
    "threat_direct": (
        [
            "Te voy a [matar], {T}",
            "Voy a [matar] {T} mañana",
            "Realmente voy a [apuñalar] {T}",
            "Vamos a [quemar] {T} viva",
            "Te juro que voy a [ahorcar] {T}",
            "Te [mataré] si vuelves, y también {T}",
            "Voy a [reventar] {T} a palos",
        ],
        ES_PEOPLE,
    ),
    "threat_group": (
        [
            "Voy a [matar] a todos los {T}",
            "Vamos a [quemar] a esos {T}",
            "Voy a [fusilar] a los {T} uno por uno",
            "Pienso [matar] a todos los {T} del barrio",
            "Vamos a [colgar] a todos los {T}",
            "Voy a [liquidar] a cada uno de esos {T}",
        ],
        ES_GROUPS,
    ),
    "threat_normative": (
        [
            "Los {T} deberían ser fusilados",
            "Todos los {T} merecen morir",
            "Hay que matar a todos los {T}",
            "Esos {T} tienen que ser exterminados",
            "Muerte a los {T}",
            "Que no quede ni uno de esos {T} vivo",
        ],
        ES_GROUPS,
    ),
    "threat_veiled": (
        [
            "Sabemos a qué colegio van tus hijos, {T}",
            "Vas a acabar como Berta Cáceres, {T}",
            "{T}, tus días están contados",
            "Sabemos dónde vives, {T}",
            "Cuídate las espaldas, {T}",
            "Si vuelves a publicar eso vas a morir, {T}",
        ],
        [
            ("María", "named"),
            ("Karim", "named"),
            ("periodista", "person"),
            ("guapa", "person"),
            ("Ahmed", "named"),
            ("bonita", "person"),
            ("listo", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Me escribió que me iba a matar",
            "Dijo que iba a matar {T} y lo denuncié",
            'Recibí un mensaje que decía "te voy a matar"',
            "La policía dice que un hombre amenazó con apuñalar {T}",
            "Según el mensaje, alguien prometió colgar {T}",
            'Un troll escribió: "sabemos dónde vives"',
            "Mi vecino me dijo que iba a quemar {T}",
        ],
        ES_PEOPLE,
    ),
    "contrast_negation": (
        [
            "Nunca haría daño {T}",
            "No voy a matar {T}, tranquilo",
            "Nadie merece morir, tampoco {T}",
            "Jamás tocaría {T}",
            "No te voy a hacer nada, ni {T}",
            "No pienso matar {T}",
        ],
        [*ES_PEOPLE, ("a nadie", "person")],
    ),
    "contrast_idiom": (
        [
            "Mataría por un café ahora mismo",
            "Te mato a besos, {T}",
            "Me muero de risa contigo, {T}",
            "Vamos a matar el tiempo en el bar, {T}",
            "Te voy a machacar al ajedrez, {T}",
            "Esta canción me mata, {T}",
            "Te voy a pegar un susto, {T}",
        ],
        [
            ("cariño", "person"),
            ("María", "named"),
            ("tío", "person"),
            ("amigo", "person"),
            ("Karim", "named"),
            ("guapa", "person"),
        ],
    ),
    "contrast_counter": (
        [
            "Decir que los {T} deberían ser fusilados es asqueroso",
            "Basta de decir que los {T} merecen morir",
            '"Muerte a los {T}" es un discurso de odio y lo denuncié',
            "Los que dicen que hay que matar a los {T} son repugnantes",
            'Mensajes como "hay que quemar a los {T}" son inaceptables',
            "Condeno a quien grita que los {T} deben morir",
        ],
        ES_GROUPS,
    ),
}

FR_PEOPLE = [
    ("ce journaliste", "person"),
    ("Marie", "named"),
    ("cette militante", "person"),
    ("Karim", "named"),
    ("ton frère", "person"),
    ("l'avocate", "person"),
]
FR_GROUPS = [
    ("immigrés", "migrants"),
    ("musulmans", "muslims"),
    ("pédés", "lgbtq"),
    ("juifs", "jews"),
    ("gitans", "roma"),
    ("arabes", "ethnic"),
    ("féministes", "women"),
]
FR: Table = {
    "threat_direct": (
        [
            "Je vais [tuer] {T}",
            "Je vais vraiment [égorger] {T}",
            "On va [buter] {T} demain",
            "Je vais [pendre] {T} à un arbre",
            "Je te jure que je vais [poignarder] {T}",
            "On va [brûler] {T} vivant",
            "Je vais [massacrer] {T} ce soir",
        ],
        FR_PEOPLE,
    ),
    "threat_group": (
        [
            "Je vais [tuer] tous les {T}",
            "On va [brûler] ces {T}",
            "Je vais [fusiller] les {T} un par un",
            "On va [égorger] tous les {T} du quartier",
            "Je vais [exterminer] tous ces {T}",
            "Nous allons [pendre] tous les {T}",
        ],
        FR_GROUPS,
    ),
    "threat_normative": (
        [
            "Les {T} devraient être pendus",
            "Tous les {T} méritent de mourir",
            "Il faut exterminer tous les {T}",
            "Ces {T} doivent être abattus",
            "Mort aux {T}",
            "Il faut tuer les {T}",
        ],
        FR_GROUPS,
    ),
    "threat_veiled": (
        [
            "On sait où vont tes enfants à l'école, {T}",
            "Tu vas finir comme Charb, {T}",
            "{T}, tes jours sont comptés",
            "On sait où tu habites, {T}",
            "Fais gaffe à toi, {T}",
            "Si tu publies encore ça, tu vas mourir, {T}",
        ],
        [
            ("Marie", "named"),
            ("Karim", "named"),
            ("le journaliste", "person"),
            ("ma belle", "person"),
            ("Ahmed", "named"),
            ("Sophie", "named"),
            ("mon gars", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Il m'a écrit qu'il allait me tuer",
            "Il a dit qu'il allait tuer {T} et j'ai porté plainte",
            "J'ai reçu un message disant « je vais te tuer »",
            "La police dit qu'un homme a menacé de poignarder {T}",
            "Selon le message, quelqu'un a promis de pendre {T}",
            "Un troll a écrit : « on sait où tu habites »",
            "Mon voisin m'a dit qu'il allait brûler {T}",
        ],
        FR_PEOPLE,
    ),
    "contrast_negation": (
        [
            "Je ne ferai jamais de mal à {T}",
            "Je ne vais pas tuer {T}, calme-toi",
            "Personne ne mérite de mourir, pas même {T}",
            "Je ne toucherai jamais à {T}",
            "On ne va rien faire à {T}",
            "Je n'ai aucune intention de tuer {T}",
        ],
        [*FR_PEOPLE, ("personne", "person")],
    ),
    "contrast_idiom": (
        [
            "Je tuerais pour un café",
            "Tu me tues avec tes blagues, {T}",
            "Je suis mort de rire, {T}",
            "On va tuer le temps au café, {T}",
            "Je vais t'écraser aux échecs, {T}",
            "Cette chanson me tue, {T}",
            "Je vais te faire une surprise, {T}",
        ],
        [
            ("chérie", "person"),
            ("Marie", "named"),
            ("mec", "person"),
            ("mon ami", "person"),
            ("Karim", "named"),
            ("ma belle", "person"),
        ],
    ),
    "contrast_counter": (
        [
            "Dire que les {T} devraient être pendus est dégoûtant",
            "Arrêtez de dire que les {T} méritent de mourir",
            "« Mort aux {T} » est un appel à la haine, je l'ai signalé",
            "Ceux qui disent qu'il faut tuer les {T} sont ignobles",
            "Des messages comme « il faut brûler les {T} » sont inacceptables",
            "Je condamne ceux qui crient que les {T} doivent mourir",
        ],
        FR_GROUPS,
    ),
}

RU_PEOPLE = [
    ("этого журналиста", "person"),
    ("Машу", "named"),
    ("эту активистку", "person"),
    ("Карима", "named"),
    ("твоего брата", "person"),
    ("адвокатшу", "person"),
]
RU_GROUPS_ACC = [
    ("мигрантов", "migrants"),
    ("мусульман", "muslims"),
    ("геев", "lgbtq"),
    ("евреев", "jews"),
    ("цыган", "roma"),
    ("хохлов", "ethnic"),
    ("феминисток", "women"),
]
RU: Table = {
    "threat_direct": (
        [
            "Я [убью] {T}",
            "Я реально [зарежу] {T}",
            "Мы [повесим] {T} на дереве",
            "Завтра [пристрелю] {T}",
            "Клянусь, я [задушу] {T}",
            "Я хочу [убить] {T}",
            "Мы [сожжём] {T} живьём",
        ],
        RU_PEOPLE,
    ),
    "threat_group": (
        [
            "Я [убью] всех {T}",
            "Мы [перестреляем] всех {T}",
            "Я буду [резать] {T} по одному",
            "Мы [сожжём] всех {T} в этом городе",
            "Мы [повесим] всех {T}",
            "Я [прикончу] каждого из этих {T}",
        ],
        RU_GROUPS_ACC,
    ),
    "threat_normative": (
        [
            "Всех {T} надо расстрелять",
            "Таких {T} нужно вешать",
            "Надо уничтожить всех {T}",
            "Всех {T} пора сжечь",
            "Смерть {D}",
            "{N} должны сдохнуть",
        ],
        RU_GROUPS_ACC,
    ),
    "threat_veiled": (
        [
            "Мы знаем, в какую школу ходят твои дети, {T}",
            "Ты закончишь как Политковская, {T}",
            "{T}, твои дни сочтены",
            "Мы знаем, где ты живёшь, {T}",
            "Ходи и оглядывайся, {T}",
            "Если ещё раз напишешь, тебе не жить, {T}",
        ],
        [
            ("Маша", "named"),
            ("Карим", "named"),
            ("журналист", "person"),
            ("дорогуша", "person"),
            ("Ахмед", "named"),
            ("Соня", "named"),
            ("умник", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Он написал, что убьёт меня",
            "Он сказал, что убьёт {T}, и я написала заявление",
            "Мне пришло сообщение: «я тебя убью»",
            "Полиция сообщает, что мужчина угрожал зарезать {T}",
            "По словам соседа, кто-то обещал повесить {T}",
            "Какой-то тролль написал: «мы знаем, где ты живёшь»",
            "Сосед сказал мне, что сожжёт {T}",
        ],
        RU_PEOPLE,
    ),
    "contrast_negation": (
        [
            "Я никогда не трону {T}",
            "Я не убью {T}, успокойся",
            "Никто не заслуживает смерти, даже {T}",
            "Я не собираюсь убивать {T}",
            "Мы ничего не сделаем {D}",
            "Я бы никогда не ударил {T}",
        ],
        [*RU_PEOPLE, ("его", "person")],
    ),
    "contrast_idiom": (
        [
            "Убью за чашку кофе",
            "Ты меня убиваешь своими шутками, {T}",
            "Я умираю со смеху, {T}",
            "Убьём время в кафе, {T}",
            "Я тебя разнесу в шахматы, {T}",
            "Эта песня меня убивает, {T}",
        ],
        [
            ("дорогая", "person"),
            ("Маша", "named"),
            ("брат", "person"),
            ("друг", "person"),
            ("Карим", "named"),
            ("солнце", "person"),
            ("подруга", "person"),
        ],
    ),
    "contrast_counter": (
        [
            "Писать, что {T} надо вешать, — отвратительно",
            "Хватит говорить, что {T} заслуживают смерти",
            "«Смерть {D}» — это разжигание ненависти, я пожаловалась",
            "Те, кто пишет, что {T} надо расстрелять, мерзкие люди",
            "Фразы вроде «всех {T} надо сжечь» недопустимы",
            "Осуждаю тех, кто кричит, что {T} должны умереть",
        ],
        RU_GROUPS_ACC,
    ),
}
RU_DATIVE = {
    "мигрантов": "мигрантам",
    "мусульман": "мусульманам",
    "геев": "геям",
    "евреев": "евреям",
    "цыган": "цыганам",
    "хохлов": "хохлам",
    "феминисток": "феминисткам",
    "этого журналиста": "этому журналисту",
    "Машу": "Маше",
    "эту активистку": "этой активистке",
    "Карима": "Кариму",
    "твоего брата": "твоему брату",
    "адвокатшу": "адвокатше",
}
RU_NOMINATIVE = {
    "мигрантов": "Мигранты",
    "мусульман": "Мусульмане",
    "геев": "Геи",
    "евреев": "Евреи",
    "цыган": "Цыгане",
    "хохлов": "Хохлы",
    "феминисток": "Феминистки",
}

TR_PEOPLE = [
    ("o gazeteciyi", "person"),
    ("Ayşe'yi", "named"),
    ("şu aktivisti", "person"),
    ("Kerem'i", "named"),
    ("kardeşini", "person"),
    ("o avukatı", "person"),
]
TR_GROUPS = [
    ("göçmenleri", "migrants"),
    ("Suriyelileri", "migrants"),
    ("eşcinselleri", "lgbtq"),
    ("Kürtleri", "ethnic"),
    ("Ermenileri", "ethnic"),
    ("Yahudileri", "jews"),
    ("feministleri", "women"),
]
TR_NOM = {
    "göçmenleri": "Göçmenler",
    "Suriyelileri": "Suriyeliler",
    "eşcinselleri": "Eşcinseller",
    "Kürtleri": "Kürtler",
    "Ermenileri": "Ermeniler",
    "Yahudileri": "Yahudiler",
    "feministleri": "Feministler",
}
TR: Table = {
    "threat_direct": (
        [
            "{T} [öldüreceğim]",
            "{T} gerçekten [öldüreceğim]",
            "Yarın {T} [gebertecem]",
            "Yemin ederim {T} [boğacağım]",
            "{T} [keseceğiz]",
            "{T} [öldürürüm], bekle",
            "{T} [asacağız]",
        ],
        TR_PEOPLE,
    ),
    "threat_group": (
        [
            "Bütün {T} [öldüreceğim]",
            "Tüm {T} [keseceğiz]",
            "Bu {T} tek tek [vuracağız]",
            "Şehirdeki bütün {T} [yakacağız]",
            "Bütün {T} [asacağız]",
            "O {T} [gebertecez]",
        ],
        TR_GROUPS,
    ),
    "threat_normative": (
        [
            "{N} asılmalı",
            "{N} ölmeyi hak ediyor",
            "Bütün {N} kurşuna dizilmeli",
            "Bu {N} idam edilmeli",
            "Ölüm {D}",
            "{N} öldürülmeli",
        ],
        TR_GROUPS,
    ),
    "threat_veiled": (
        [
            "Çocuklarının hangi okula gittiğini biliyoruz {T}",
            "Sen de Hrant Dink gibi olacaksın {T}",
            "{T} günlerin sayılı",
            "Nerede oturduğunu biliyoruz {T}",
            "Arkanı kolla {T}",
            "Bir daha yazarsan öleceksin {T}",
        ],
        [
            ("Ayşe", "named"),
            ("Kerem", "named"),
            ("gazeteci", "person"),
            ("güzelim", "person"),
            ("Ahmet", "named"),
            ("Zeynep", "named"),
            ("bayım", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Beni öldüreceğini yazdı",
            "{T} öldüreceğini söyledi, şikayet ettim",
            '"Seni öldüreceğim" diye mesaj attı',
            "Polis, bir adamın {T} bıçaklamakla tehdit ettiğini açıkladı",
            "Biri {T} asacağını yazmış",
            'Bir trol "nerede oturduğunu biliyoruz" diye yazdı',
            "Komşum {T} yakacağını söyledi",
        ],
        TR_PEOPLE,
    ),
    "contrast_negation": (
        [
            "{T} asla incitmem",
            "{T} öldürmeyeceğim, sakin ol",
            "Kimse ölmeyi hak etmiyor, {T} bile",
            "{T} hiçbir zaman öldürmem",
            "{T} kimse dokunmayacak",
            "{T} vurmayacağım",
        ],
        [*TR_PEOPLE, ("onu", "person")],
    ),
    "contrast_idiom": (
        [
            "Bir kahve için öldürürüm",
            "Gülmekten öldüm {T}",
            "Bu şarkı beni öldürüyor {T}",
            "Kafede vakit öldürelim mi {T}",
            "Seni satrançta ezeceğim {T}",
            "Bu espriler beni bitiriyor {T}",
        ],
        [
            ("canım", "person"),
            ("Ayşe", "named"),
            ("kanka", "person"),
            ("dostum", "person"),
            ("Kerem", "named"),
            ("tatlım", "person"),
            ("abi", "person"),
        ],
    ),
    "contrast_counter": (
        [
            '"{N} asılmalı" diyenler utanmalı',
            "{N} ölmeyi hak ediyor demek iğrenç",
            '"Ölüm {D}" yazmak nefret söylemidir, şikayet ettim',
            "{T} öldürün diye bağıranları kınıyorum",
            '"{N} kurşuna dizilmeli" gibi sözler kabul edilemez',
            "{N} idam edilmeli diyenler utansın",
        ],
        TR_GROUPS,
    ),
}
TR_DAT = {
    "göçmenleri": "göçmenlere",
    "Suriyelileri": "Suriyelilere",
    "eşcinselleri": "eşcinsellere",
    "Kürtleri": "Kürtlere",
    "Ermenileri": "Ermenilere",
    "Yahudileri": "Yahudilere",
    "feministleri": "feministlere",
}

AZ_PEOPLE = [
    ("o jurnalisti", "person"),
    ("Aysel'i", "named"),
    ("bu aktivisti", "person"),
    ("Kamran'ı", "named"),
    ("qardaşını", "person"),
    ("o vəkili", "person"),
]
AZ_GROUPS = [
    ("qaçqınları", "migrants"),
    ("erməniləri", "ethnic"),
    ("geyləri", "lgbtq"),
    ("talışları", "ethnic"),
    ("yəhudiləri", "jews"),
    ("feministləri", "women"),
    ("ateistləri", "religion"),
]
AZ_NOM = {
    "qaçqınları": "Qaçqınlar",
    "erməniləri": "Ermənilər",
    "geyləri": "Geylər",
    "talışları": "Talışlar",
    "yəhudiləri": "Yəhudilər",
    "feministləri": "Feministlər",
    "ateistləri": "Ateistlər",
}
AZ_DAT = {
    "qaçqınları": "qaçqınlara",
    "erməniləri": "ermənilərə",
    "geyləri": "geylərə",
    "talışları": "talışlara",
    "yəhudiləri": "yəhudilərə",
    "feministləri": "feministlərə",
    "ateistləri": "ateistlərə",
}
AZ: Table = {
    "threat_direct": (
        [
            "{T} [öldürəcəyəm]",
            "{T} mütləq [öldürəcəyik]",
            "Sabah {T} [güllələyəcəyəm]",
            "And içirəm, {T} [boğacağam]",
            "{T} [kəsəcəyik]",
            "{T} [öldürərəm], gözlə",
            "{T} [asacağıq]",
        ],
        AZ_PEOPLE,
    ),
    "threat_group": (
        [
            "Bütün {T} [öldürəcəyəm]",
            "Hamısını, bütün {T} [kəsəcəyik]",
            "Bu {T} bir-bir [vuracağıq]",
            "Şəhərdəki bütün {T} [yandıracağıq]",
            "Bütün {T} [asacağıq]",
            "O {T} [məhv edəcəyik]",
        ],
        AZ_GROUPS,
    ),
    "threat_normative": (
        [
            "{N} asılmalıdır",
            "{N} ölümə layiqdir",
            "Bütün {N} güllələnməlidir",
            "Bu {N} edam edilməlidir",
            "Ölüm {D}",
            "{N} öldürülməlidir",
        ],
        AZ_GROUPS,
    ),
    "threat_veiled": (
        [
            "Uşaqlarının hansı məktəbə getdiyini bilirik {T}",
            "Sənin də sonun Xədicə kimi olacaq {T}",
            "{T}, günlərin sayılıdır",
            "Harada yaşadığını bilirik {T}",
            "Arxanı qoru {T}",
            "Bir də yazsan öləcəksən {T}",
        ],
        [
            ("Aysel", "named"),
            ("Kamran", "named"),
            ("jurnalist", "person"),
            ("gözəlim", "person"),
            ("Əli", "named"),
            ("Leyla", "named"),
            ("ağıllı", "person"),
        ],
    ),
    "contrast_report": (
        [
            "Məni öldürəcəyini yazdı",
            "{T} öldürəcəyini dedi, şikayət etdim",
            '"Səni öldürəcəyəm" deyə mesaj yazdı',
            "Polis bir kişinin {T} bıçaqlamaqla hədələdiyini bildirdi",
            "Kimsə {T} asacağını yazıb",
            'Bir trol "harada yaşadığını bilirik" deyə yazdı',
            "Qonşum {T} yandıracağını söylədi",
        ],
        AZ_PEOPLE,
    ),
    "contrast_negation": (
        [
            "{T} heç vaxt incitmərəm",
            "{T} öldürməyəcəyəm, sakit ol",
            "Heç kim ölümə layiq deyil, {T} belə",
            "{T} əsla öldürmərəm",
            "{T} heç kim toxunmayacaq",
            "{T} vurmayacağam",
        ],
        [*AZ_PEOPLE, ("onu", "person")],
    ),
    "contrast_idiom": (
        [
            "Bir qəhvə üçün öldürərəm",
            "Gülməkdən öldüm {T}",
            "Bu mahnı məni öldürür {T}",
            "Kafedə vaxt öldürək {T}",
            "Səni şahmatda əzəcəyəm {T}",
            "Bu zarafatlar məni bitirir {T}",
        ],
        [
            ("canım", "person"),
            ("Aysel", "named"),
            ("dostum", "person"),
            ("qardaş", "person"),
            ("Kamran", "named"),
            ("əzizim", "person"),
            ("bacı", "person"),
        ],
    ),
    "contrast_counter": (
        [
            '"{N} asılmalıdır" deyənlər utanmalıdır',
            "{N} ölümə layiqdir demək iyrəncdir",
            '"Ölüm {D}" yazmaq nifrət nitqidir, şikayət etdim',
            "{T} öldürün deyə qışqıranları pisləyirəm",
            '"{N} güllələnməlidir" kimi sözlər qəbuledilməzdir',
            "{N} edam edilməlidir deyənlər utansın",
        ],
        AZ_GROUPS,
    ),
}

AR_PEOPLE = [
    ("هذا الصحفي", "person"),
    ("مريم", "named"),
    ("هذه الناشطة", "person"),
    ("كريم", "named"),
    ("أخاك", "person"),
    ("المحامية", "person"),
]
AR_GROUPS = [
    ("اللاجئين", "migrants"),
    ("الشيعة", "religion"),
    ("الشواذ", "lgbtq"),
    ("اليهود", "jews"),
    ("الملحدين", "religion"),
    ("الأكراد", "ethnic"),
    ("النسويات", "women"),
]
AR: Table = {
    "threat_direct": (
        [
            "سوف [أقتل] {T}",
            "راح [أذبح] {T} بكرة",
            "والله [سأقتل] {T}",
            "[سأشنق] {T} على شجرة",
            "أقسم بالله [سأحرق] {T}",
            "رح [اطعن] {T} الليلة",
            "[سنقتل] {T} قريبا",
        ],
        AR_PEOPLE,
    ),
    "threat_group": (
        [
            "[سأقتل] كل {T}",
            "[سنذبح] جميع {T}",
            "راح [نحرق] كل {T} في المدينة",
            "[سنشنق] كل {T} واحدا واحدا",
            "سوف [نقتل] جميع {T}",
            "والله [لنذبح] كل {T}",
        ],
        AR_GROUPS,
    ),
    "threat_normative": (
        [
            "{T} يجب قتلهم",
            "{T} يستحقون الموت",
            "يجب إعدام كل {T}",
            "الموت لـ{T}",
            "هؤلاء {T} لازم يتذبحوا",
            "{T} دمهم حلال",
        ],
        AR_GROUPS,
    ),
    "threat_veiled": (
        [
            "نعرف أين يدرس أولادك يا {T}",
            "مصيرك سيكون مثل خاشقجي يا {T}",
            "أيامك معدودة يا {T}",
            "نعرف أين تسكن يا {T}",
            "انتبه لنفسك يا {T}",
            "إذا نشرت هذا مرة أخرى ستموت يا {T}",
        ],
        [
            ("مريم", "named"),
            ("كريم", "named"),
            ("صحفي", "person"),
            ("حلوة", "person"),
            ("أحمد", "named"),
            ("ليلى", "named"),
            ("شاطر", "person"),
        ],
    ),
    "contrast_report": (
        [
            "قال إنه سيقتلني",
            "قال إنه سيقتل {T} فقدمت بلاغا",
            'وصلتني رسالة تقول "سأقتلك"',
            "الشرطة تقول إن رجلا هدد بطعن {T}",
            "حسب الرسالة، أحدهم توعد بشنق {T}",
            'كتب أحدهم: "نعرف أين تسكن"',
            "جاري قال لي إنه سيحرق {T}",
        ],
        AR_PEOPLE,
    ),
    "contrast_negation": (
        [
            "لن أؤذي {T} أبدا",
            "لن أقتل {T}، اهدأ",
            "لا أحد يستحق الموت، ولا حتى {T}",
            "لن ألمس {T} أبدا",
            "لا أحد سيؤذي {T}",
            "ما راح أضرب {T}",
        ],
        [*AR_PEOPLE, ("أحدا", "person")],
    ),
    "contrast_idiom": (
        [
            "أقتل من أجل فنجان قهوة",
            "موتتني من الضحك يا {T}",
            "هذه الأغنية تقتلني يا {T}",
            "خلينا نقتل الوقت في المقهى يا {T}",
            "رح أهزمك في الشطرنج يا {T}",
            "النكت هذه تموتني يا {T}",
        ],
        [
            ("حبيبتي", "person"),
            ("مريم", "named"),
            ("صاحبي", "person"),
            ("أخي", "person"),
            ("كريم", "named"),
            ("عزيزتي", "person"),
            ("يا صديقي", "person"),
        ],
    ),
    "contrast_counter": (
        [
            "القول إن {T} يجب قتلهم أمر مقزز",
            "كفى قولا إن {T} يستحقون الموت",
            '"الموت لـ{T}" خطاب كراهية وقد أبلغت عنه',
            "الذين يقولون إن {T} يجب إعدامهم حقيرون ومرفوضون",
            'عبارات مثل "اقتلوا {T}" غير مقبولة',
            "أدين كل من يقول إن {T} دمهم حلال",
        ],
        AR_GROUPS,
    ),
}

FA_PEOPLE = [
    ("این خبرنگار را", "person"),
    ("مریم را", "named"),
    ("آن فعال را", "person"),
    ("کریم را", "named"),
    ("برادرت را", "person"),
    ("آن وکیل را", "person"),
]
FA_GROUPS = [
    ("افغانی‌ها", "migrants"),
    ("بهایی‌ها", "religion"),
    ("همجنس‌گراها", "lgbtq"),
    ("یهودی‌ها", "jews"),
    ("کردها", "ethnic"),
    ("عرب‌ها", "ethnic"),
    ("فمینیست‌ها", "women"),
]
FA: Table = {
    "threat_direct": (
        [
            "{T} [می‌کشم]",
            "فردا {T} [می‌کشیم]",
            "قسم می‌خورم {T} [می‌کشم]",
            "{T} واقعا [می‌کشم]",
            "{T} زنده [می‌سوزانیم]",
            "{T} همین امشب [می‌کشم]",
            "{T} خواهم کشت",
        ],
        FA_PEOPLE,
    ),
    "threat_group": (
        [
            "همه‌ی {T} را [می‌کشیم]",
            "تمام {T} را [می‌کشم]",
            "همه {T} را یکی یکی [می‌کشیم]",
            "همه‌ی {T} را زنده [می‌سوزانیم]",
            "این {T} را اعدام می‌کنیم",
            "همه {T} را خواهیم کشت",
        ],
        FA_GROUPS,
    ),
    "threat_normative": (
        [
            "{T} باید کشته شوند",
            "همه‌ی {T} باید اعدام شوند",
            "{T} سزاوار مرگ هستند",
            "مرگ بر {T}",
            "این {T} باید تیرباران شوند",
            "{T} باید بمیرند",
        ],
        FA_GROUPS,
    ),
    "threat_veiled": (
        [
            "می‌دانیم بچه‌هایت کجا مدرسه می‌روند {T}",
            "عاقبتت مثل زهرا کاظمی می‌شود {T}",
            "{T}، روزهایت به شماره افتاده",
            "می‌دانیم کجا زندگی می‌کنی {T}",
            "پیدات می‌کنیم {T}",
            "اگر دوباره بنویسی می‌میری {T}",
        ],
        [
            ("مریم", "named"),
            ("کریم", "named"),
            ("آقای خبرنگار", "person"),
            ("خانم", "person"),
            ("احمد", "named"),
            ("لیلا", "named"),
            ("رفیق", "person"),
        ],
    ),
    "contrast_report": (
        [
            "او نوشت که مرا خواهد کشت",
            "گفت که {T} خواهد کشت و من شکایت کردم",
            "پیامی دریافت کردم که نوشته بود «می‌کشمت»",
            "پلیس می‌گوید مردی تهدید کرده که {T} با چاقو بزند",
            "یک نفر نوشته که {T} دار خواهد زد",
            "یک ترول نوشت: «می‌دانیم کجا زندگی می‌کنی»",
            "همسایه‌ام گفت که {T} آتش خواهد زد",
        ],
        FA_PEOPLE,
    ),
    "contrast_negation": (
        [
            "هرگز به {P} آسیب نمی‌زنم",
            "{T} نمی‌کشم، آرام باش",
            "هیچ‌کس سزاوار مرگ نیست، حتی {P}",
            "هیچ‌وقت {T} نمی‌کشم",
            "هیچ‌کس به {P} دست نمی‌زند",
            "{T} نمی‌زنم",
        ],
        [*FA_PEOPLE, ("او را", "person")],
    ),
    "contrast_idiom": (
        [
            "برای یک فنجان قهوه می‌میرم",
            "از خنده مردم {T}",
            "این آهنگ مرا می‌کشد {T}",
            "بیا در کافه وقت بکشیم {T}",
            "در شطرنج شکستت می‌دهم {T}",
            "این شوخی‌ها مرا می‌کشد {T}",
        ],
        [
            ("عزیزم", "person"),
            ("مریم", "named"),
            ("رفیق", "person"),
            ("داداش", "person"),
            ("کریم", "named"),
            ("جانم", "person"),
            ("دوست من", "person"),
        ],
    ),
    "contrast_counter": (
        [
            "گفتن اینکه {T} باید کشته شوند نفرت‌انگیز است",
            "بس کنید گفتن اینکه {T} سزاوار مرگ هستند",
            "«مرگ بر {T}» نفرت‌پراکنی است و گزارشش دادم",
            "کسانی که می‌گویند {T} باید اعدام شوند شرم‌آورند",
            "جمله‌هایی مثل «{T} باید بمیرند» غیرقابل قبول است",
            "محکوم می‌کنیم کسانی را که می‌گویند {T} باید تیرباران شوند",
        ],
        FA_GROUPS,
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
NOMINATIVE: dict[str, dict[str, str]] = {"ru": RU_NOMINATIVE, "tr": TR_NOM, "az": AZ_NOM}
DATIVE: dict[str, dict[str, str]] = {"ru": RU_DATIVE, "tr": TR_DAT, "az": AZ_DAT}

# Context: swearing at no one, and slurs a group uses of itself (no harassment label at all).
CONTEXT: dict[str, Table] = {
    "en": {
        "contrast_profanity": (
            [
                "This {T} is fucking amazing",
                "Holy shit, what a {T}",
                "Damn, that {T} was good",
                "What the fuck happened to this {T}",
                "The {T} was shit but we laughed anyway",
                "Fuck yeah, the {T} starts tonight",
                "That {T} was bloody brilliant",
                "Hell yes, best {T} ever",
            ],
            [
                ("concert", "none"),
                ("game", "none"),
                ("weekend", "none"),
                ("film", "none"),
                ("trip", "none"),
            ],
        ),
        "contrast_reclaimed": (
            [
                "Happy birthday to the baddest bitch I know, {T}",
                "I'm a proud dyke and I love my wife, {T}",
                "We queers are here to stay, {T}",
                "Me and my bitches out tonight, {T}",
                "Proud to be a queer woman, {T}",
                "As a fag myself I find this hilarious, {T}",
                "My niggas came through tonight, {T}",
                "I am a proud queer, {T}",
            ],
            [
                ("love it", "none"),
                ("cheers", "none"),
                ("xoxo", "none"),
                ("lol", "none"),
                ("see ya", "none"),
            ],
        ),
    },
    "es": {
        "contrast_profanity": (
            [
                "Joder, qué {T} tan bueno",
                "Qué puta maravilla de {T}",
                "Hostia, el {T} de ayer fue increíble",
                "Coño, qué {T} más largo",
                "Mierda, se me olvidó el {T}",
                "De puta madre el {T}, de verdad",
                "Joder, otra vez el {T}",
                "Hostias, qué {T}",
            ],
            [
                ("concierto", "none"),
                ("partido", "none"),
                ("finde", "none"),
                ("viaje", "none"),
                ("día", "none"),
            ],
        ),
        "contrast_reclaimed": (
            [
                "Soy bollera y orgullosa, {T}",
                "Somos maricas y aquí seguimos, {T}",
                "Orgullosa de ser bollera, {T}",
                "Soy marica y me encanta, {T}",
                "Como marica que soy, me río, {T}",
                "Somos bolleras y qué, {T}",
                "Soy una perra mala, {T}",
                "Mis putas y yo salimos esta noche, {T}",
            ],
            [
                ("jaja", "none"),
                ("besos", "none"),
                ("salud", "none"),
                ("ole", "none"),
                ("vamos", "none"),
            ],
        ),
    },
    "fr": {
        "contrast_profanity": (
            [
                "Putain, ce {T} était génial",
                "Merde, j'ai raté le {T}",
                "Putain de {T}, trop bien",
                "Bordel, quel {T}",
                "Ce {T} était de la merde mais on a ri",
                "Putain, encore ce {T}",
                "Merde alors, le {T} est fini",
                "Bon sang, quel {T}",
            ],
            [
                ("concert", "none"),
                ("match", "none"),
                ("week-end", "none"),
                ("film", "none"),
                ("voyage", "none"),
            ],
        ),
        "contrast_reclaimed": (
            [
                "Je suis gouine et fière, {T}",
                "Nous sommes pédés et fiers, {T}",
                "Fière d'être gouine, {T}",
                "Je suis une salope et j'assume, {T}",
                "En tant que pédé, je trouve ça drôle, {T}",
                "On est gouines et on reste, {T}",
                "Je suis pédé et heureux, {T}",
                "Fier d'être pédé, {T}",
            ],
            [
                ("bisous", "none"),
                ("mdr", "none"),
                ("santé", "none"),
                ("allez", "none"),
                ("à plus", "none"),
            ],
        ),
    },
    "ru": {
        "contrast_profanity": (
            [
                "Бля, какой {T} крутой",
                "Пиздец, какой {T}",
                "Охуенный был {T}",
                "Блин, опять этот {T}",
                "Черт, я пропустил {T}",
                "Охренеть, {T} уже закончился",
                "Капец, какой долгий {T}",
                "Блять, {T} был огонь",
            ],
            [
                ("концерт", "none"),
                ("матч", "none"),
                ("фильм", "none"),
                ("день", "none"),
                ("вечер", "none"),
            ],
        ),
        "contrast_reclaimed": (
            [
                "Я лесбиянка и горжусь, {T}",
                "Мы квир и мы здесь, {T}",
                "Я гей и счастлив, {T}",
                "Мы геи и не прячемся, {T}",
                "Как гей, я смеюсь над этим, {T}",
                "Я квир, {T}",
                "Мы лесбиянки, {T}",
                "Я гей, {T}",
            ],
            [
                ("ахаха", "none"),
                ("целую", "none"),
                ("ура", "none"),
                ("давай", "none"),
                ("пока", "none"),
            ],
        ),
    },
}
for _lang, _table in CONTEXT.items():
    LANGUAGES[_lang].update(_table)
