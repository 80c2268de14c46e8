"""Write Haven's own multilingual triage evaluation set (tests/text/data/eval.jsonl).

No labelled threat, bounty or doxxing data exists for Azerbaijani, and none for Russian or Turkish
threats, so the project writes its own: realistic comments about one fictional case (two men in
Ganja whose private video leaked), with hard negatives (idioms, news reports, counter-speech, the
city named innocently, prices and lost-pet rewards). Every sentence here was written for Haven;
none is copied from a public data set. Azerbaijani Cyrillic items are produced from Latin ones with
a hand-written letter table (independent of the ICU rules the normaliser uses), so the Cyrillic
path is tested end to end.

Each first-batch item is assigned to "dev" or "test" by a hash of its id: rules were tuned looking
at dev errors only. A second batch ("holdout", ids starting with "h-") was written after that
tuning and was not used to change rules before its first measurement; the bench reports all
three, so the gap between them is visible.

Run: python bench/text_build_eval.py (rewrites the JSONL and the facts file).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "text" / "data"

FACTS = {
    "people": [
        {"role": "target", "names": ["Samir Həsənov"]},
        {"role": "target", "names": ["Elvin Quliyev"]},
        {"role": "relative", "names": ["Leyla Həsənova"]},
        {"role": "relative", "names": ["Rauf Quliyev"]},
    ],
    "addresses": ["Nizami küçəsi 45, mənzil 12, Gəncə", "Cavadxan küçəsi 7, Gəncə", "Gəncə"],
    "workplaces": ["Ulduz Tikinti MMC", "Kəpəz Diaqnostika Mərkəzi"],
    "phones": ["+994 50 123 45 67", "055 765 43 21"],
    "emails": ["samir.hasanov@example.az"],
    "vehicles": ["10-XY-345"],
    "other": [],
}

# (text, labels, note). Notes on negatives say which hard case they are.
AZ: list[tuple[str, list[str], str]] = [
    # threats
    ("Bu iki rəzili öldürəcəyik, gözləyin.", ["threat"], ""),
    ("Onları tapıb öldürmək lazımdır.", ["threat"], ""),
    ("Samiri də, Elvini də daşqalaq etmək lazımdır.", ["threat"], ""),
    ("Belələri güllələnməlidir, başqa yolu yoxdur.", ["threat"], ""),
    ("Hamısını yandırın, bir nəfər də qalmasın!", ["threat"], ""),
    ("Səni tapacağıq və döyəcəyik, heç yerə qaça bilməzsən.", ["threat"], ""),
    ("Qardaşlar, bunları asın!", ["threat"], ""),
    ("Ölsünlər, bu millətin ayıbıdır bunlar.", ["threat"], ""),
    ("Onun başını kəsəcəyəm, and içirəm.", ["threat"], ""),
    ("Bunlar yaşamağa haqqı yoxdur, məhv edilməlidirlər.", ["threat"], ""),
    ("Elvin, günün sayılıdır.", ["threat"], ""),
    ("Bu gijdıllaqları boğacağıq.", ["threat", "hate"], ""),
    ("Kim görsə vursun, icazə var.", ["threat"], ""),
    ("öldürün bunları öldürün", ["threat"], ""),
    ("0ldür3c3yik sizi", ["threat"], "leet"),
    ("ö l d ü r ə c ə y i k", ["threat"], "spaced"),
    ("Öldürəcəyikkkk hamınızı", ["threat"], "repeated"),
    ("Qanını tökəcəyik, yadında saxla.", ["threat"], ""),
    ("Sabah axşam səni evinin qarşısında gözləyəcəyik, öldürəcəyik.", ["threat"], "time-place"),
    ("Belə adamları döymək lazımdır ki, ibrət olsun.", ["threat"], ""),
    ("Nizami küçəsi 45-də yaşayırlar, gedək onları döyək.", ["threat", "exposure"], ""),
    ("Samir Ulduz Tikintidə işləyir, orda onu vurarıq.", ["threat", "exposure"], ""),
    # bounties
    ("Kim onları tapsa, 1000 manat verirəm.", ["bounty"], ""),
    ("Samirin başına 5000 manat mükafat qoyuram.", ["bounty"], ""),
    ("Onu döyənə 500 azn verəcəyəm, sözümdür.", ["bounty"], ""),
    ("Elvinin ünvanını kim desə, pul verəcəm.", ["bounty"], ""),
    ("Kim öldürsə, mükafatı məndən.", ["bounty", "threat"], ""),
    ("Bunları tapana 2000 dollar, zəmanət verirəm.", ["bounty"], ""),
    ("Kim onun evini göstərsə 300 manat ödəyəcəm.", ["bounty"], ""),
    # exposure
    ("Samirin evi Nizami küç. 45, mənzil 12-dədir.", ["exposure"], ""),
    ("Bunlar Cavadxan küçəsi 7-də qalırlar.", ["exposure"], ""),
    ("Nömrəsi budur: 050 123 45 67, zəng edin deyin nə düşünürsünüz.", ["exposure"], ""),
    ("Elvinin nömrəsi 0557654321, yazın ona.", ["exposure"], ""),
    ("Anası Leyla Həsənova da bilir bu işləri.", ["exposure"], ""),
    ("Elvinin atası Rauf Quliyevdir, ona da zəng edin.", ["exposure"], ""),
    ("Samir Kəpəz Diaqnostika Mərkəzində işləyir.", ["exposure"], ""),
    ("Maşınları 10-XY-345, hər gün həyətdə durur.", ["exposure"], ""),
    ("Maili də var: samir.hasanov@example.az", ["exposure"], ""),
    ("Ulduz Tikinti MMC-yə yazın, belə işçi saxlamasınlar.", ["exposure"], ""),
    ("Onların ünvanı: Gəncə, Nizami küçəsi 45, mənzil 12", ["exposure"], ""),
    ("Elvin 055 765 43 21 nömrəsindən danışır.", ["exposure"], ""),
    ("Şəhidlər küçəsi 14, mənzil 3 - orda da bir dostları var.", ["exposure"], "generic"),
    # hate
    ("Bu gijdıllaqlar cəmiyyətin bəlasıdır.", ["hate"], ""),
    ("Geylər xəstədir, müalicə olunmalıdırlar.", ["hate"], ""),
    ("Bu pidrlar bizim torpağı murdarlayır.", ["hate"], ""),
    ("LGBT xəstəlikdir, mikrob kimi yayılır.", ["hate"], ""),
    ("Qomiklər insan deyil.", ["hate"], ""),
    ("ibnələrə yer yoxdur burda", ["hate"], ""),
    # hard negatives
    ("Gəncə çox gözəl şəhərdir, hamını dəvət edirəm.", [], "city"),
    ("Gəncədə bu gün hava çox isti idi.", [], "city"),
    ("Samir, sabah görüşək?", [], "name"),
    ("Xəbər: Gəncədə iki gəncə ölüm təhdidləri gəlib, polis araşdırır.", [], "news"),
    ("Onlar hədələnib, polisə müraciət ediblər.", [], "news"),
    ("Hədələyənlər cəzalandırılmalıdır, şikayət edin.", [], "counter"),
    ("Belə yazmaq olmaz, bu cinayətdir, hamınız şikayət edin.", [], "counter"),
    ("Zorakılığa çağıranları pisləyirəm.", [], "counter"),
    ("Gülməkdən öldüm, bu video çox gülməlidir.", [], "idiom"),
    ("Canım sənə qurban, çox sağ ol.", [], "idiom"),
    ("Tortu kəsəcəyik, gəlin!", [], "idiom"),
    ("Sabah saat 5-də məktəbin qarşısında görüşək.", [], "time-place"),
    ("İtim itib, tapana 100 manat mükafat verəcəm.", [], "lost-pet"),
    ("Çörək 1 manat oldu, qiyməti yenə qalxıb.", [], "price"),
    ("Mən səni öldürmərəm, qorxma.", [], "negation"),
    ("Heç kəs onları öldürmək istəmir, sakit olun.", [], "negation"),
    ("Geylər də insandır, onlara hörmət edin.", [], "ident-positive"),
    ("Nizami Gəncəvi böyük şairdir.", [], "name-like-street"),
    ("Futbolçu topu qapıya vurdu, qol!", [], "idiom"),
    ("Bu gün işdə vaxt öldürürəm.", [], "idiom"),
    ("Onları döyüblər, xəbər verirlər ki, xəstəxanadadırlar.", [], "news"),
    ("Kim bu mahnını yazıb? Çox gözəldir.", [], "who"),
    ("Əlaqə üçün: info@kitabxana.az", ["exposure"], "generic-email"),
    ("Samirə uğurlar, yaxşı oğlandır.", [], "name"),
    ("Elvin bəy, məqaləniz çox maraqlı idi.", [], "name"),
]

RU: list[tuple[str, list[str], str]] = [
    ("Я тебя найду и убью, Самир.", ["threat"], ""),
    ("Таких надо расстреливать без суда.", ["threat"], ""),
    ("Их всех нужно повесить на площади.", ["threat"], ""),
    ("Убейте их, пока не поздно!", ["threat"], ""),
    ("Мы вас сожжём вместе с домом.", ["threat"], ""),
    ("Сдохните, твари.", ["threat"], ""),
    ("Тебе не жить, Эльвин.", ["threat"], ""),
    ("Вы трупы, поняли?", ["threat"], ""),
    ("Я бы их всех перебил, если бы мог... надо перебить.", ["threat"], ""),
    ("Они должны быть уничтожены.", ["threat"], ""),
    ("Смерть пидорам!", ["threat", "hate"], ""),
    ("Мы знаем, где ты живёшь.", ["threat"], ""),
    ("Зарежу обоих, клянусь.", ["threat"], ""),
    ("Я тебя yбью", ["threat"], "homoglyph"),
    ("уб1ть их мало", ["threat"], "leet"),
    ("Завтра вечером будем ждать у подъезда, прибьём.", ["threat"], "time-place"),
    (
        "Гасанова надо найти и избить, он живет на ул. Низами, д. 45, кв. 12.",
        ["threat", "exposure"],
        "",
    ),
    ("Пусть сдохнут оба.", ["threat"], ""),
    ("Кулиева надо закопать.", ["threat"], ""),
    ("Давайте их замочим, адрес знаем.", ["threat"], ""),
    # bounty
    ("Тому, кто найдёт Самира, заплачу 1000 долларов.", ["bounty"], ""),
    ("Награда за голову Гасанова — 5000 манат.", ["bounty"], ""),
    ("Кто изобьёт его, получит 300 азн.", ["bounty"], ""),
    ("Плачу 500$ тому, кто скинет адрес Кулиева.", ["bounty"], ""),
    ("За голову каждого из них даю 10 тысяч рублей.", ["bounty"], ""),
    # exposure
    ("Самир Гасанов живёт на ул. Низами, д. 45, кв. 12, Гянджа.", ["exposure"], ""),
    ("Его номер +994 50 123-45-67, звоните.", ["exposure"], ""),
    ("Мать его, Лейла Гасанова, всё знает.", ["exposure"], ""),
    ("Отец Эльвина — Рауф Кулиев, вот кому надо звонить.", ["exposure"], ""),
    ("Работает в Кяпаз Диагностика Меркязи, приходите посмотреть.", ["exposure"], ""),
    ("Эльвин работает в Улдуз Тикинти.", ["exposure"], ""),
    ("Номер машины 10 XY 345.", ["exposure"], ""),
    ("Кулиев живёт на улице Джавадхана 7.", ["exposure"], ""),
    ("звоните 8 (055) 765-43-21", ["exposure"], ""),
    ("Адрес: г. Москва, ул. Ленина, д. 5, кв. 3", ["exposure"], "generic"),
    # hate
    ("Эти пидорасы позорят страну.", ["hate"], ""),
    ("Геи — больные люди, их надо лечить.", ["hate"], ""),
    ("Гомосеки хуже животных.", ["hate"], ""),
    ("ЛГБТ — это зараза с запада.", ["hate"], ""),
    ("Ещё один педик нашёлся.", ["hate"], ""),
    ("п1дор", ["hate"], "leet"),
    # negatives
    ("Гянджа — красивый город, всем советую.", [], "city"),
    ("Они получили угрозы убийством и обратились в полицию.", [], "news"),
    ("По данным полиции, на активистов напали вчера вечером.", [], "news"),
    (
        "Тех, кто угрожает, надо привлекать к ответственности. Пожалуйтесь на эти комментарии.",
        [],
        "counter",
    ),
    ("Призывы к насилию недопустимы.", [], "counter"),
    ("Я чуть не умер от смеха.", [], "idiom"),
    ("Убить время в очереди — моё хобби.", [], "idiom"),
    ("Эта песня меня просто убила, так красиво.", [], "idiom"),
    ("Потерялась собака, нашедшему вознаграждение 100 манат.", [], "lost-pet"),
    ("Цена 500 рублей, доставка бесплатно.", [], "price"),
    ("Я никого не убью, успокойся.", [], "negation"),
    ("Геи тоже люди, хватит ненависти.", [], "ident-positive"),
    ("Самир, с днём рождения!", [], "name"),
    ("Завтра в 5 встречаемся у школы.", [], "time-place"),
    ("Не надо их бить, это преступление.", [], "negation"),
    ("Журналист сообщил, что их избили неизвестные.", [], "news"),
]

TR: list[tuple[str, list[str], str]] = [
    ("Sizi öldüreceğiz, bekleyin.", ["threat"], ""),
    ("Bunları bulup gebertmek lazım.", ["threat"], ""),
    ("Hepsi kurşunlanmalı.", ["threat"], ""),
    ("Asın bunları!", ["threat"], ""),
    ("Kanını dökeceğiz, unutma.", ["threat"], ""),
    ("Ölsünler, rezil herifler.", ["threat"], ""),
    ("Seni bulacağız Samir, kaçamazsın.", ["threat"], ""),
    ("Kafasını keseceğim bunun.", ["threat"], ""),
    ("Bu ibneleri yakacağız.", ["threat", "hate"], ""),
    ("Günlerin sayılı Elvin.", ["threat"], ""),
    ("öldürün öldürün öldürün", ["threat"], ""),
    ("0ldürec3ğiz", ["threat"], "leet"),
    ("Yarın akşam evinin önünde olacağız, seni döveceğiz.", ["threat"], "time-place"),
    ("Taşlanmalılar, başka çözüm yok.", ["threat"], ""),
    ("Gebersinler inşallah.", ["threat"], ""),
    # bounty
    ("Kim bunları bulursa 1000 lira veririm.", ["bounty"], ""),
    ("Başına 5000 dolar ödül koyuyorum.", ["bounty"], ""),
    ("Onu dövene 500 TL vereceğim.", ["bounty"], ""),
    ("Adresini kim söylerse para veririm.", ["bounty"], ""),
    ("Kim öldürürse ödülü benden.", ["bounty", "threat"], ""),
    # exposure
    ("Samir'in adresi Nizami küçəsi 45 mənzil 12, Gence.", ["exposure"], ""),
    ("Telefonu 0 50 123 45 67, arayın.", ["exposure"], ""),
    ("Annesi Leyla Hasanova da orada yaşıyor.", ["exposure"], ""),
    ("Elvin, Ulduz Tikinti şirketinde çalışıyor.", ["exposure"], ""),
    ("Babası Rauf Kuliyev, ona da haber verin.", ["exposure"], ""),
    ("Adres: Atatürk Cad. No: 12 Daire 5, Kadıköy", ["exposure"], "generic"),
    ("Arabası 10 XY 345, sokakta duruyor.", ["exposure"], ""),
    # hate
    ("Bu ibneler toplumun yüz karası.", ["hate"], ""),
    ("Eşcinseller hasta, tedavi olmalı.", ["hate"], ""),
    ("LGBT bir illet, yayılıyor.", ["hate"], ""),
    ("Götverenler defolsun.", ["hate"], ""),
    ("puşt herif", ["hate"], ""),
    # negatives
    ("Gence çok güzel bir şehir.", [], "city"),
    ("İki gence ölüm tehditleri geldi, polis soruşturma başlattı.", [], "news"),
    ("Haberlere göre saldırganlar tutuklandı.", [], "news"),
    ("Tehdit edenler cezalandırılmalı, şikayet edin.", [], "counter"),
    ("Şiddete çağrı kabul edilemez.", [], "counter"),
    ("Gülmekten öldüm ya.", [], "idiom"),
    ("Pastayı keseceğiz, gelin.", [], "idiom"),
    ("Kesin geliyorum yarın.", [], "idiom"),
    ("Ev yakın, yürüyerek gelebilirsin.", [], "idiom"),
    ("Kayıp kedimizi bulana 200 TL ödül.", [], "lost-pet"),
    ("Fiyatı 100 TL, kargo bedava.", [], "price"),
    ("Kimseyi öldürmek istemiyorum.", [], "negation"),
    ("Eşcinseller de insan, saygı gösterin.", [], "ident-positive"),
    ("Yarın saat 5'te okulun önünde buluşalım.", [], "time-place"),
    ("Gol vurdu, harika!", [], "idiom"),
]

EN: list[tuple[str, list[str], str]] = [
    ("We will find you and kill you, Samir.", ["threat"], ""),
    ("Someone should shoot these two.", ["threat"], ""),
    ("They deserve to die for this.", ["threat"], ""),
    ("People like them should be hanged.", ["threat"], ""),
    ("I'm going to beat him until he can't walk.", ["threat"], ""),
    ("Kill them all.", ["threat"], ""),
    ("Your days are numbered, Elvin.", ["threat"], ""),
    ("We know where you live.", ["threat"], ""),
    ("You're dead, both of you.", ["threat"], ""),
    ("Burn them alive.", ["threat"], ""),
    ("i w i l l k i l l y o u", ["threat"], "spaced"),
    ("I will k1ll you", ["threat"], "leet"),
    ("Tomorrow night we'll be waiting outside your house. You will pay.", ["threat"], "time-place"),
    ("They must be stoned to death.", ["threat"], ""),
    ("Death to these faggots.", ["threat", "hate"], ""),
    ("We're gonna hurt you and your family.", ["threat"], ""),
    # bounty
    ("$1000 to whoever finds where they live.", ["bounty"], ""),
    ("I'll pay anyone who beats them up. 500 manat.", ["bounty"], ""),
    ("There's a bounty on Samir's head now.", ["bounty"], ""),
    ("Reward for his address: 200 dollars.", ["bounty"], ""),
    # exposure
    ("Samir lives at Nizami street 45, flat 12, Ganja.", ["exposure"], ""),
    ("His phone is +994501234567, call him.", ["exposure"], ""),
    ("His mother Leyla Hasanova knows everything.", ["exposure"], ""),
    ("Elvin works at Ulduz Tikinti, go tell his boss.", ["exposure"], ""),
    ("email him: samir.hasanov@example.az", ["exposure"], ""),
    ("He lives at 221 Baker Street, London.", ["exposure"], "generic"),
    ("Call 055 765 43 21 and tell him what you think.", ["exposure"], ""),
    # hate
    ("Just two faggots, nothing more.", ["hate"], ""),
    ("Gays are a disease on society.", ["hate"], ""),
    ("Homosexuals are vermin.", ["hate"], ""),
    ("Look at these dykes.", ["hate"], ""),
    ("f@ggots everywhere", ["hate"], "leet"),
    # negatives
    ("I'd kill for that cake.", [], "idiom"),
    ("They received death threats after the video leaked.", [], "news"),
    ("People who threaten them must be reported.", [], "counter"),
    ("Ganja is a lovely city, I visited last year.", [], "city"),
    ("The police said the men were attacked on Tuesday.", [], "news"),
    ("My feet are killing me.", [], "idiom"),
    ("You killed it at the concert!", [], "idiom"),
    ("Reward for whoever finds my lost dog: 100 manat.", [], "lost-pet"),
    ("It costs $20, delivery included.", [], "price"),
    ("I would never hurt anyone.", [], "negation"),
    ("Saying 'kill them all' is disgusting, report it.", [], "counter-quote"),
    ("As a queer person myself, I stand with them.", [], "reclaimed"),
    ("I'm a proud dyke and I support Samir and Elvin.", [], "reclaimed"),
    ("Gay people deserve respect.", [], "ident-positive"),
    ("Let's meet tomorrow at 5 outside the school.", [], "time-place"),
    ("We shot a video at the park today.", [], "idiom"),
    ("Calling gay people a disease is hateful and wrong.", [], "counter"),
]

# Written after the rules were frozen for the first bench run and never used to tune them:
# the "holdout" split is the honest estimate for sentences the rule authors did not anticipate.
HOLDOUT_AZ: list[tuple[str, list[str], str]] = [
    ("Bunların hər ikisini güllələyin, başqa çarə yoxdur.", ["threat"], ""),
    ("Sizin kimilər boğulmalıdır.", ["threat"], ""),
    ("Elvinin sümüklərini sındıracağıq.", ["threat"], ""),
    ("Bunlara yaşamaq haqqı verilməməlidir, hamısı məhv olsun.", ["threat"], ""),
    ("Gecə gəlib evinizi yandıracağıq.", ["threat"], ""),
    ("Səni parçalayacağam, yadda saxla.", ["threat"], ""),
    ("Bunları küçədə görən kimi döyün.", ["threat"], ""),
    ("Onların ikisini də asmaq lazımdır.", ["threat"], ""),
    ("Qardaşlar, bu alçaqları tapın və cəzasını verin, öldürün!", ["threat"], ""),
    ("Samir, səni öldürəcəm, qaça bilməyəcəksən.", ["threat"], ""),
    ("Bu rüsvayçılığı edənlərin başı kəsilməlidir.", ["threat"], ""),
    ("Elvinin evinə gedib onu döyəcəyik, Cavadxan küçəsi 7.", ["threat", "exposure"], ""),
    ("Onları tapıb öldürənə 3000 manat verəcəm.", ["bounty", "threat"], ""),
    ("Samirin harda yaşadığını deyənə 200 manat.", ["bounty"], ""),
    ("Kim bunların şəklini və ünvanını atsa, pul verəcəyik.", ["bounty"], ""),
    ("Elvini tutub gətirənə mükafat var, 1000 azn.", ["bounty"], ""),
    ("Onu döyüb videoya çəkənə 500 manat ödəyirəm.", ["bounty"], ""),
    ("Samir Həsənovun ünvanı: Nizami küçəsi 45, mənzil 12.", ["exposure"], ""),
    ("Elvin Kəpəz Diaqnostikada işləyir, gedin görün.", ["exposure"], ""),
    ("Bunun anası Leyla xanımdır, Həsənova.", ["exposure"], ""),
    ("Telefonu +994501234567, hamı yazsın.", ["exposure"], ""),
    ("Onun maşını 10 XY 345 nömrəlidir.", ["exposure"], ""),
    ("Rauf Quliyev oğlunu niyə belə böyüdüb?", ["exposure"], ""),
    ("055-765-43-21 Elvinin nömrəsidir.", ["exposure"], ""),
    ("Bu gijdıllağa bax, utanmır da.", ["hate"], ""),
    ("Homoseksuallar xəstədir, hamı bilir.", ["hate"], ""),
    ("Qomiklər cəmiyyət üçün bəladır.", ["hate"], ""),
    ("Bu pidr yenə video paylaşıb.", ["hate"], ""),
    ("Geylər iyrəncdir, nifrət edirəm.", ["hate"], ""),
    ("Gəncədə yeni park açılıb, çox gözəldir.", [], "city"),
    ("Gəncə komandası yenə qalib gəldi!", [], "city"),
    ("Bu ölkədə hədə-qorxu gələnləri polis qorumalıdır.", [], "counter"),
    ("Onlara ölüm təhdidləri göndərənlər cəzasız qalmamalıdır.", [], "counter"),
    ("Dünən iki nəfər döyülüb, polis araşdırma aparır.", [], "news"),
    ("Xəbərə görə, onlar təhdid alıblar və ölkəni tərk ediblər.", [], "news"),
    ("Bu film məni öldürdü, çox kədərli idi.", [], "idiom"),
    ("Sənin üçün ölürəm, əzizim.", [], "idiom"),
    ("Şam yandıraq, ad günüdür.", [], "idiom"),
    ("Telefonum itib, tapana 50 manat verəcəm.", [], "lost-item"),
    ("Evimiz satılır, qiyməti 80 min manat.", [], "price"),
    ("Samir müəllim dərsi çox yaxşı keçir.", [], "name"),
    ("Nizami küçəsində yeni kafe açılıb.", [], "street-innocent"),
    ("Gey hüquqları insan hüquqlarıdır.", [], "ident-positive"),
    ("Heç kəsə zorakılıq etmək olmaz.", [], "counter"),
    ("Toyuğu kəsib bişirdik.", [], "idiom"),
]

HOLDOUT_RU: list[tuple[str, list[str], str]] = [
    ("Этих двоих надо повесить.", ["threat"], ""),
    ("Найдём и закопаем, обещаю.", ["threat"], ""),
    ("Я его прирежу, как только увижу.", ["threat"], ""),
    ("Таких уродов нужно сжигать.", ["threat"], ""),
    ("Пора их всех перестрелять.", ["threat"], ""),
    ("Мы тебя достанем, Самир, где бы ты ни был.", ["threat"], ""),
    ("Ждите гостей ночью, будем жечь.", ["threat"], ""),
    ("Убивать таких надо.", ["threat"], ""),
    ("Чтоб ты сдох, урод.", ["threat"], ""),
    ("Я тебе голову оторву.", ["threat"], ""),
    ("Дам 2000 манат тому, кто его побьёт.", ["bounty"], ""),
    ("Кто сдаст адрес Эльвина — получит 300 долларов.", ["bounty"], ""),
    ("Плачу за фото их дома, пишите в личку. 100 манат.", ["bounty"], ""),
    ("Самир живёт на Низами 45, квартира 12.", ["exposure"], ""),
    ("Вот телефон: 055 765 43 21.", ["exposure"], ""),
    ("Его мать — Лейла Гасанова, учительница.", ["exposure"], ""),
    ("Кулиев работает в Улдуз Тикинти, позвоните начальству.", ["exposure"], ""),
    ("Почта: samir.hasanov@example.az", ["exposure"], ""),
    ("Рауф Кулиев — отец этого позорища.", ["exposure"], ""),
    ("Очередной пидор вылез.", ["hate"], ""),
    ("Гомосексуализм — болезнь, их надо лечить.", ["hate"], ""),
    ("Эти педики совсем обнаглели.", ["hate"], ""),
    ("Содомиты должны сидеть тихо.", ["hate"], ""),
    ("Гянджа — мой родной город.", [], "city"),
    ("В Гяндже сегодня дождь.", [], "city"),
    ("Правозащитники сообщили, что парням угрожают убийством.", [], "news"),
    ("Полиция задержала двоих за нападение.", [], "news"),
    ("Угрожать людям — преступление, жалуйтесь на такие комментарии.", [], "counter"),
    ("Я убью за хороший кофе утром.", [], "idiom"),
    ("Этот фильм меня убил, шедевр.", [], "idiom"),
    ("Продаю велосипед, 200 манат.", [], "price"),
    ("Пропал кот, нашедшему награда.", [], "lost-pet"),
    ("Самир, удачи на экзамене!", [], "name"),
    ("Геи имеют такие же права, как все.", [], "ident-positive"),
    ("Никто не должен их трогать.", [], "negation"),
]

HOLDOUT_TR: list[tuple[str, list[str], str]] = [
    ("Bunları asmak lazım, başka yolu yok.", ["threat"], ""),
    ("İkisini de gebertin.", ["threat"], ""),
    ("Seni bulup kafana sıkacağım.", ["threat"], ""),
    ("Evlerini yakacağız, haberleri olsun.", ["threat"], ""),
    ("Bu sapıkları taşlayın.", ["threat"], ""),
    ("Hepsinin boğazını keseceğiz.", ["threat"], ""),
    ("Elvin'i görürsem öldürürüm.", ["threat"], ""),
    ("Yerlerini bulana 1000 lira ödül.", ["bounty"], ""),
    ("Onları dövene para vereceğim, 500 TL.", ["bounty"], ""),
    ("Adresini paylaşana 200 dolar veriyorum.", ["bounty"], ""),
    ("Samir Hasanov Nizami küçəsi 45 mənzil 12'de oturuyor.", ["exposure"], ""),
    ("Telefon numarası 0501234567.", ["exposure"], ""),
    ("Elvin'in babası Rauf Quliyev.", ["exposure"], ""),
    ("Kəpəz Diaqnostika Mərkəzi'nde çalışıyor.", ["exposure"], ""),
    ("Bu ibneye bakın.", ["hate"], ""),
    ("Eşcinsellik bir hastalıktır.", ["hate"], ""),
    ("Bu nonoşlar her yerde.", ["hate"], ""),
    ("Gence'de güzel bir gün.", [], "city"),
    ("Haberlere göre iki kişi tehdit aldı.", [], "news"),
    ("Polis saldırganları gözaltına aldı.", [], "news"),
    ("Tehditleri kınıyoruz, herkes şikayet etsin.", [], "counter"),
    ("Bu şarkı beni öldürdü, çok güzel.", [], "idiom"),
    ("Kayıp cüzdanımı bulana ödül.", [], "lost-item"),
    ("Indirim var, fiyatı 50 TL.", [], "price"),
    ("Yarın saat 3'te evinin önünde buluşalım, kahve içeriz.", [], "time-place"),
    ("Eşcinsellere saygı duyun.", [], "ident-positive"),
    ("Kimse kimseyi öldürmemeli.", [], "negation"),
]

HOLDOUT_EN: list[tuple[str, list[str], str]] = [
    ("Someone needs to put a bullet in them.", ["threat"], ""),
    ("They should be burned alive.", ["threat"], ""),
    ("I'll slit your throat.", ["threat"], ""),
    ("We're coming for you tonight.", ["threat"], ""),
    ("Hang them both from a tree.", ["threat"], ""),
    ("These two need to be executed.", ["threat"], ""),
    ("I hope someone kills them.", ["threat"], ""),
    ("I will find where you sleep and end you.", ["threat"], ""),
    ("$500 to anyone who beats them up.", ["bounty"], ""),
    ("Paying 1000 manat for their home address.", ["bounty"], ""),
    ("Whoever brings me his head gets $2000.", ["bounty"], ""),
    ("His address is Nizami küçəsi 45, apartment 12.", ["exposure"], ""),
    ("Text him on 055 765 43 21.", ["exposure"], ""),
    ("His dad is Rauf Quliyev, the shop owner.", ["exposure"], ""),
    ("He works at Kəpəz Diaqnostika, go there.", ["exposure"], ""),
    ("Their car plate is 10-XY-345.", ["exposure"], ""),
    ("Another tranny on my feed.", ["hate"], ""),
    ("Homosexuals are an abomination.", ["hate"], ""),
    ("Trans people are mentally ill freaks.", ["hate"], ""),
    ("Ganja has great food.", [], "city"),
    ("Activists said the couple had received death threats.", [], "news"),
    ("Threatening someone online is a crime, report it.", [], "counter"),
    ("This song is killing me, so good.", [], "idiom"),
    ("I could murder a pizza right now.", [], "idiom"),
    ("Reward: lost cat, call 555-0101.", [], "lost-pet"),
    ("Tickets cost 30 manat each.", [], "price"),
    ("We will never hurt you, we are here to help.", [], "negation"),
    ("Queer people belong here.", [], "ident-positive"),
    ("Samir, congratulations on the new job!", [], "name"),
]


# A third batch, written after all rule changes and measured once without any change after it
# ("holdout2"): the estimate least flattered by the authors' tuning. It leans on what real
# comments do: no diacritics, emoji, shouting, code-mixing, Russian typed in Latin letters.
HOLDOUT2: list[tuple[str, str, str, list[str], str]] = [
    # (lang, script, text, labels, note)
    ("az", "Latn", "bunlari oldurmek lazimdi 😡😡", ["threat"], "no-diacritics"),
    ("az", "Latn", "ELVIN SENI TAPACAYIQ VE OLDURECEYIK", ["threat"], "shouting"),
    ("az", "Latn", "bele adamlar yasamamalidir, asilmalidirlar", ["threat"], ""),
    ("az", "Latn", "Samiri goren yerde vurun", ["threat"], ""),
    ("az", "Latn", "o iki gijdillaqi yandirin", ["threat", "hate"], ""),
    ("az", "Latn", "kim onlarin evini tapsa 500 manat verirem", ["bounty"], ""),
    ("az", "Latn", "Samirin evi Nizami kuc 45 menzil 12di", ["exposure"], "no-diacritics"),
    ("az", "Latn", "elvinin nomresi 055 765 43 21 di yazin", ["exposure"], ""),
    ("az", "Latn", "geyler xesteliktir, cemiyyetin belasi", ["hate"], ""),
    ("az", "Latn", "Gencede bu gun konsert var, gelin", [], "city"),
    ("az", "Latn", "polis deyir ki onlari hedeleyenler tapilib", [], "news"),
    ("az", "Latn", "bu qeder nifret niye? onlari rahat buraxin", [], "counter"),
    ("az", "Latn", "olsun, sabah danisariq", [], "olsun"),
    ("az", "Cyrl", "Бунлары өлдүрмәк лазымдыр, ҝөзләмәјин", ["threat"], ""),
    ("az", "Cyrl", "Самирин еви Низами күчәси 45, мәнзил 12", ["exposure"], ""),
    ("az", "Cyrl", "Ҝәнҹә ҝөзәл шәһәрдир", [], "city"),
    ("ru", "Cyrl", "ЭТИХ ДВОИХ НАДО ПРИСТРЕЛИТЬ", ["threat"], "shouting"),
    ("ru", "Cyrl", "найду тебя и прибью, Эльвин", ["threat"], ""),
    ("ru", "Latn", "ya tebya ub'yu", ["threat"], "translit"),
    ("ru", "Cyrl", "Кто скинет адрес Гасанова, тому 500 манат", ["bounty"], ""),
    ("ru", "Cyrl", "живёт Гасанов на Низами, дом 45, кв 12", ["exposure"], ""),
    ("ru", "Cyrl", "его телефон 0557654321", ["exposure"], ""),
    ("ru", "Cyrl", "ещё один п*дор", ["hate"], "masked"),
    ("ru", "Cyrl", "гомики — это болезнь", ["hate"], ""),
    ("ru", "Cyrl", "Я бы убил за шаурму сейчас", [], "idiom"),
    ("ru", "Cyrl", "Сообщают, что парням угрожали расправой", [], "news"),
    ("ru", "Cyrl", "Нельзя угрожать людям, это подсудное дело", [], "counter"),
    ("ru", "Cyrl", "В Гяндже открыли новый парк", [], "city"),
    ("tr", "Latn", "bunlari oldurmek lazim", ["threat"], "no-diacritics"),
    ("tr", "Latn", "SIZI BULACAGIZ VE OLDURECEGIZ", ["threat"], "shouting"),
    ("tr", "Latn", "kim onu bulursa 1000 tl odul", ["bounty"], ""),
    ("tr", "Latn", "Elvin'in telefonu 0 555 765 43 21", ["exposure"], ""),
    ("tr", "Latn", "bu ibneler rezil", ["hate"], ""),
    ("tr", "Latn", "gulmekten oldum ya", [], "idiom"),
    ("tr", "Latn", "tehdit eden hesaplari sikayet edin", [], "counter"),
    ("tr", "Latn", "kesin kazanacagiz bu maci", [], "idiom"),
    ("en", "Latn", "SOMEONE SHOULD JUST SHOOT THEM BOTH", ["threat"], "shouting"),
    ("en", "Latn", "ur dead when we find u", ["threat"], ""),
    ("en", "Latn", "they deserve a bullet each", ["threat"], ""),
    ("en", "Latn", "$300 for anyone who finds their address", ["bounty"], ""),
    ("en", "Latn", "elvin's number is 055 765 43 21 lol", ["exposure"], ""),
    ("en", "Latn", "fags like these are a plague", ["hate"], ""),
    ("en", "Latn", "omg this cake is to die for", [], "idiom"),
    ("en", "Latn", "Report every account that threatens them, please", [], "counter"),
    ("en", "Latn", "News: two men in Ganja say they received death threats", [], "news"),
    ("en", "Latn", "I'd kill to have their courage tbh", [], "idiom"),
]


_AZ_CYR = dict(
    zip(
        "abcçdeəfgğhxıijkqlmnoöprsştuüvyzABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVYZ",
        "абҹчдеәфҝғһхыижкглмноөпрсштуүвјзАБҸЧДЕӘФҜҒҺХЫИЖКГЛМНОӨПРСШТУҮВЈЗ",
        strict=True,
    )
)


def az_to_cyrillic(text: str) -> str:
    """Azerbaijani Latin to Cyrillic by the 1958-1991 alphabet, letter by letter."""
    return "".join(_AZ_CYR.get(c, c) for c in text)


def split_of(item_id: str) -> str:
    return "dev" if int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for code, script, items in (
        ("az", "Latn", AZ),
        ("ru", "Cyrl", RU),
        ("tr", "Latn", TR),
        ("en", "Latn", EN),
    ):
        for i, (text, labels, note) in enumerate(items):
            rows.append((f"{code}-{script.lower()}-{i:03d}", code, script, text, labels, note))
    for i, (text, labels, note) in enumerate(AZ):
        if note in ("leet",):  # leet digits do not survive a letter-by-letter transliteration
            continue
        rows.append((f"az-cyrl-{i:03d}", "az", "Cyrl", az_to_cyrillic(text), labels, note))
    holdout = []
    for code, script, items in (
        ("az", "Latn", HOLDOUT_AZ),
        ("ru", "Cyrl", HOLDOUT_RU),
        ("tr", "Latn", HOLDOUT_TR),
        ("en", "Latn", HOLDOUT_EN),
    ):
        for i, (text, labels, note) in enumerate(items):
            holdout.append((f"h-{code}-{script.lower()}-{i:03d}", code, script, text, labels, note))
    for i, (text, labels, note) in enumerate(HOLDOUT_AZ):
        holdout.append((f"h-az-cyrl-{i:03d}", "az", "Cyrl", az_to_cyrillic(text), labels, note))
    for i, (code, script, text, labels, note) in enumerate(HOLDOUT2):
        holdout.append((f"h2-{code}-{script.lower()}-{i:03d}", code, script, text, labels, note))
    with (OUT / "eval.jsonl").open("w", encoding="utf-8") as f:
        for item_id, lang, script, text, labels, note in rows + holdout:
            record = {
                "id": item_id,
                "lang": lang,
                "script": script,
                "text": text,
                "labels": sorted(labels),
                "hard_negative": bool(note) and not labels,
                "note": note,
                "split": (
                    "holdout2"
                    if item_id.startswith("h2-")
                    else "holdout"
                    if item_id.startswith("h-")
                    else split_of(item_id)
                ),
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    (OUT / "facts.json").write_text(
        json.dumps(FACTS, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(rows) + len(holdout)} items to {OUT / 'eval.jsonl'}")


if __name__ == "__main__":
    main()
