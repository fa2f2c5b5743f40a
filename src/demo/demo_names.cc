#include "demo/demo_names.h"

#include <array>

namespace caredesk::demo {
namespace {

using Names = std::string_view;

// ---- Anglo (US general) ---------------------------------------------------------------------
constexpr Names kAngloFemale[] = {
    "Mary",     "Patricia", "Jennifer",  "Linda",      "Elizabeth", "Barbara",   "Susan",     "Jessica",   "Sarah",
    "Karen",    "Lisa",     "Nancy",     "Betty",      "Margaret",  "Sandra",    "Ashley",    "Kimberly",  "Emily",
    "Donna",    "Michelle", "Carol",     "Amanda",     "Dorothy",   "Melissa",   "Deborah",   "Stephanie", "Rebecca",
    "Sharon",   "Laura",    "Cynthia",   "Kathleen",   "Amy",       "Angela",    "Shirley",   "Anna",      "Brenda",
    "Pamela",   "Emma",     "Nicole",    "Helen",      "Samantha",  "Katherine", "Christine", "Debra",     "Rachel",
    "Carolyn",  "Janet",    "Catherine", "Heather",    "Diane",     "Ruth",      "Julie",     "Olivia",    "Joyce",
    "Virginia", "Victoria", "Kelly",     "Lauren",     "Christina", "Joan",      "Evelyn",    "Judith",    "Megan",
    "Andrea",   "Cheryl",   "Hannah",    "Jacqueline", "Martha",    "Gloria",    "Teresa",    "Ann",       "Sara",
    "Madison",  "Frances",  "Kathryn",   "Janice",     "Jean",      "Abigail",   "Alice",     "Judy",      "Sophia",
    "Grace",    "Denise",   "Amber",     "Doris",      "Marilyn",   "Danielle",  "Beverly",   "Isabella",  "Theresa",
    "Diana",    "Natalie",  "Brittany",  "Charlotte",  "Marie",     "Kayla",     "Alexis",    "Lori",      "Ava",
    "Mia",      "Harper",   "Ella",      "Avery",      "Scarlett",  "Chloe",     "Lily",      "Zoe",       "Nora",
    "Hazel",    "Aubrey",   "Addison",   "Stella",     "Claire",    "Lucy",      "Caroline",  "Paige",     "Molly",
    "Erin",     "Shannon",  "Holly",     "Wendy",      "Tiffany",   "Courtney",  "Crystal",   "Erica",     "Jill",
    "Tracy",    "Dawn",     "Connie",    "Peggy",      "Bonnie",    "Lorraine",  "Sylvia",    "Rose",      "Jane",
    "Eleanor",  "Audrey",   "Leah",      "Bethany",    "Kristen",   "Meredith",  "Allison",   "Haley",     "Brooke",
    "Taylor",   "Kaitlyn",  "Jenna",     "Vanessa",    "Morgan",    "Savannah",  "Madeline",  "Layla",     "Violet",
    "Penelope", "Riley",    "Natasha",   "Gwen",       "Heidi",     "Joanne",    "Marcia",    "Rita",      "Sheila",
    "Tammy",    "Vicki",    "Yvonne",    "Beth",       "Becky",     "Kate",      "Maggie",    "Gail",
};
constexpr Names kAngloMale[] = {
    "James",       "Robert",   "John",    "Michael", "David",     "William",  "Richard", "Joseph",    "Thomas",
    "Christopher", "Charles",  "Daniel",  "Matthew", "Anthony",   "Mark",     "Donald",  "Steven",    "Paul",
    "Andrew",      "Joshua",   "Kenneth", "Kevin",   "Brian",     "George",   "Timothy", "Ronald",    "Edward",
    "Jason",       "Jeffrey",  "Ryan",    "Jacob",   "Gary",      "Nicholas", "Eric",    "Jonathan",  "Stephen",
    "Larry",       "Justin",   "Scott",   "Brandon", "Benjamin",  "Samuel",   "Gregory", "Alexander", "Frank",
    "Patrick",     "Raymond",  "Jack",    "Dennis",  "Jerry",     "Tyler",    "Aaron",   "Henry",     "Adam",
    "Douglas",     "Nathan",   "Peter",   "Zachary", "Kyle",      "Walter",   "Harold",  "Jeremy",    "Ethan",
    "Carl",        "Keith",    "Roger",   "Gerald",  "Christian", "Terry",    "Sean",    "Arthur",    "Austin",
    "Noah",        "Lawrence", "Jesse",   "Joe",     "Bryan",     "Billy",    "Jordan",  "Albert",    "Dylan",
    "Bruce",       "Willie",   "Gabriel", "Alan",    "Wayne",     "Ralph",    "Roy",     "Eugene",    "Randy",
    "Vincent",     "Russell",  "Louis",   "Philip",  "Bobby",     "Johnny",   "Bradley", "Liam",      "Oliver",
    "Elijah",      "Lucas",    "Mason",   "Logan",   "Owen",      "Caleb",    "Wyatt",   "Hunter",    "Connor",
    "Landon",      "Cole",     "Luke",    "Carter",  "Grayson",   "Lincoln",  "Hudson",  "Jackson",   "Chase",
    "Evan",        "Ian",      "Blake",   "Garrett", "Trevor",    "Travis",   "Derek",   "Shane",     "Todd",
    "Craig",       "Glenn",    "Dale",    "Howard",  "Martin",    "Phillip",  "Stanley", "Leonard",   "Clifford",
    "Curtis",      "Warren",   "Gordon",  "Neil",    "Spencer",   "Colin",    "Grant",   "Mitchell",  "Troy",
    "Wesley",      "Brett",    "Bob",     "Jim",     "Mike",      "Tom",      "Bill",    "Dave",      "Chris",
    "Matt",        "Nick",     "Tony",    "Dan",     "Ted",       "Hank",     "Rick",
};
constexpr Names kAngloFamily[] = {
    "Smith",      "Johnson",   "Williams", "Brown",     "Jones",     "Miller",     "Davis",     "Wilson",   "Anderson",
    "Taylor",     "Thomas",    "Moore",    "Martin",    "Thompson",  "White",      "Harris",    "Clark",    "Lewis",
    "Robinson",   "Walker",    "Young",    "Allen",     "King",      "Wright",     "Scott",     "Hill",     "Green",
    "Adams",      "Baker",     "Nelson",   "Carter",    "Mitchell",  "Roberts",    "Turner",    "Phillips", "Campbell",
    "Parker",     "Evans",     "Edwards",  "Collins",   "Stewart",   "Morris",     "Murphy",    "Cook",     "Rogers",
    "Morgan",     "Cooper",    "Peterson", "Bailey",    "Reed",      "Kelly",      "Howard",    "Cox",      "Ward",
    "Richardson", "Watson",    "Brooks",   "Wood",      "Bennett",   "Gray",       "Hughes",    "Price",    "Sanders",
    "Myers",      "Long",      "Ross",     "Foster",    "Powell",    "Jenkins",    "Perry",     "Russell",  "Sullivan",
    "Bell",       "Coleman",   "Butler",   "Henderson", "Barnes",    "Fisher",     "Henry",     "Graham",   "Hamilton",
    "Wallace",    "West",      "Cole",     "Hayes",     "Gibson",    "Bryant",     "Ellis",     "Stevens",  "Murray",
    "Ford",       "Marshall",  "Owens",    "McDonald",  "Harrison",  "Kennedy",    "Wells",     "Tucker",   "Porter",
    "Hunter",     "Hicks",     "Crawford", "Boyd",      "Mason",     "Warren",     "Dixon",     "Burns",    "Gordon",
    "Shaw",       "Holmes",    "Rice",     "Hunt",      "Black",     "Daniels",    "Palmer",    "Mills",    "Grant",
    "Knight",     "Ferguson",  "Stone",    "Hawkins",   "Dunn",      "Perkins",    "Hudson",    "Spencer",  "Stephens",
    "Payne",      "Pierce",    "Berry",    "Matthews",  "Arnold",    "Wagner",     "Willis",    "Ray",      "Watkins",
    "Olson",      "Carroll",   "Duncan",   "Snyder",    "Hart",      "Cunningham", "Bradley",   "Lane",     "Andrews",
    "Harper",     "Fox",       "Riley",    "Armstrong", "Carpenter", "Weaver",     "Greene",    "Lawrence", "Elliott",
    "Sims",       "Austin",    "Peters",   "Kelley",    "Franklin",  "Lawson",     "Fields",    "Ryan",     "Schmidt",
    "Carr",       "Fowler",    "Larson",   "Schultz",   "Hoffman",   "Becker",     "Klein",     "Walsh",    "O'Brien",
    "O'Connor",   "O'Neil",    "McCarthy", "Byrne",     "Doyle",     "Fitzgerald", "Gallagher", "Keller",   "Meyer",
    "Weber",      "Schneider", "Hansen",   "Nielsen",   "Erickson",  "Swanson",    "Lund",      "Burke",    "Quinn",
    "Brennan",    "Donovan",   "Sweeney",  "Flynn",     "Hale",      "Lowe",       "Bishop",    "Newman",   "Chapman",
    "Webb",       "Frost",     "Morton",   "Barker",    "Hardy",     "Bowen",      "Wolfe",     "Ramsey",   "Holland",
    "Vaughn",     "McKenzie",  "MacLeod",  "Lindquist", "Bergstrom", "Kowalczyk",  "Zimmerman", "Fischer",  "Baumann",
    "Russo",      "Romano",    "Ricci",    "Esposito",  "Bianchi",   "Costa",      "Moretti",   "Conti",    "DeLuca",
    "Marino",     "Greco",     "Bruno",    "Gallo",     "Caruso",
};

// ---- Hispanic -------------------------------------------------------------------------------
constexpr Names kHispanicFemale[] = {
    "María",   "Guadalupe", "Juana",     "Margarita",  "Rosa",     "Ana",       "Carmen",  "Verónica", "Alejandra",
    "Leticia", "Gabriela",  "Adriana",   "Claudia",    "Patricia", "Laura",     "Elena",   "Isabel",   "Lucía",
    "Sofía",   "Valentina", "Camila",    "Daniela",    "Mariana",  "Fernanda",  "Ximena",  "Natalia",  "Paola",
    "Andrea",  "Carolina",  "Yesenia",   "Yolanda",    "Marisol",  "Esperanza", "Dolores", "Beatriz",  "Silvia",
    "Teresa",  "Lourdes",   "Araceli",   "Graciela",   "Irma",     "Norma",     "Alma",    "Blanca",   "Josefina",
    "Luz",     "Maribel",   "Mónica",    "Sandra",     "Diana",    "Karla",     "Jimena",  "Valeria",  "Renata",
    "Regina",  "Victoria",  "Isabella",  "Emilia",     "Catalina", "Ariana",    "Abril",   "Itzel",    "Esmeralda",
    "Brenda",  "Cristina",  "Raquel",    "Rocío",      "Soledad",  "Consuelo",  "Marta",   "Pilar",    "Inés",
    "Lorena",  "Mayra",     "Nayeli",    "Perla",      "Reyna",    "Rubí",      "Anahí",   "Julieta",  "Martina",
    "Salomé",  "Maria",     "Ana Sofia", "Gloria",     "Rosario",  "Elvira",    "Amparo",  "Celia",    "Estela",
    "Fabiola", "Gisela",    "Hortensia", "Jacqueline", "Liliana",  "Magdalena", "Miriam",  "Olga",     "Susana",
    "Viviana",
};
constexpr Names kHispanicMale[] = {
    "José",      "Juan",     "Luis",      "Carlos",   "Jorge",    "Miguel",   "Jesús",       "Antonio",     "Alejandro",
    "Francisco", "Manuel",   "Pedro",     "Ricardo",  "Fernando", "Roberto",  "Javier",      "Rafael",      "Eduardo",
    "Sergio",    "Raúl",     "Arturo",    "Alberto",  "Mario",    "Héctor",   "Víctor",      "Enrique",     "Óscar",
    "Ramón",     "Salvador", "Armando",   "Andrés",   "Diego",    "Santiago", "Mateo",       "Sebastián",   "Emiliano",
    "Leonardo",  "Gael",     "Iker",      "Adrián",   "Daniel",   "Ángel",    "Gabriel",     "Rodrigo",     "Emmanuel",
    "Julio",     "César",    "Guillermo", "Gerardo",  "Ernesto",  "Alfredo",  "Ignacio",     "Joaquín",     "Rubén",
    "Hugo",      "Marco",    "Pablo",     "Tomás",    "Esteban",  "Felipe",   "Gustavo",     "Martín",      "Lorenzo",
    "Nicolás",   "Agustín",  "Cristian",  "Edgar",    "Iván",     "Omar",     "Abel",        "Efraín",      "Rogelio",
    "Saúl",      "Ulises",   "Vicente",   "Wilfredo", "Xavier",   "Jose",     "Juan Carlos", "Luis Miguel", "Alonso",
    "Benjamín",  "Bernardo", "Camilo",    "Domingo",  "Emilio",   "Federico", "Gonzalo",     "Humberto",    "Jaime",
};
constexpr Names kHispanicFamily[] = {
    "García",    "Rodríguez", "Martínez",   "Hernández",  "López",    "González", "Pérez",     "Sánchez",
    "Ramírez",   "Torres",    "Flores",     "Rivera",     "Gómez",    "Díaz",     "Reyes",     "Morales",
    "Cruz",      "Ortiz",     "Gutiérrez",  "Chávez",     "Ramos",    "Ruiz",     "Jiménez",   "Mendoza",
    "Álvarez",   "Castillo",  "Romero",     "Herrera",    "Medina",   "Aguilar",  "Vargas",    "Castro",
    "Guzmán",    "Fernández", "Moreno",     "Muñoz",      "Rojas",    "Ortega",   "Delgado",   "Vázquez",
    "Domínguez", "Méndez",    "Soto",       "Contreras",  "Silva",    "Guerrero", "Estrada",   "Sandoval",
    "Figueroa",  "Juárez",    "Salazar",    "Luna",       "Ríos",     "Cortés",   "Campos",    "Acosta",
    "Vega",      "Maldonado", "Navarro",    "Cervantes",  "Molina",   "Padilla",  "Espinoza",  "Cabrera",
    "Núñez",     "Rosales",   "Fuentes",    "Pacheco",    "Ibarra",   "Valdez",   "Velásquez", "Zamora",
    "Lara",      "Ayala",     "Solís",      "Ochoa",      "Trujillo", "Carrillo", "Mejía",     "Orozco",
    "Ávila",     "Márquez",   "Serrano",    "Villanueva", "Bautista", "Cárdenas", "Escobar",   "Galván",
    "Tapia",     "Zúñiga",    "Arellano",   "Beltrán",    "Cisneros", "Duarte",   "Esquivel",  "Franco",
    "Gallegos",  "Montoya",   "Nava",       "Olivares",   "Pineda",   "Quintero", "Rangel",    "Sosa",
    "Treviño",   "Valencia",  "Villarreal", "Zavala",     "Barrera",  "Calderón", "Dávila",    "Enríquez",
    "Galindo",   "Hidalgo",   "Ledesma",    "Meza",       "Miranda",  "Osorio",   "Palacios",  "Quiroz",
    "Robles",    "Salinas",   "Toledo",     "Vela",       "Yáñez",    "Garcia",   "Rodriguez", "Martinez",
    "Hernandez", "Lopez",     "Gonzalez",   "Perez",      "Sanchez",  "Ramirez",  "Diaz",      "Gomez",
    "Alvarez",   "Jimenez",   "Chavez",     "Gutierrez",
};

// ---- African American -----------------------------------------------------------------------
constexpr Names kAfricanAmericanFemale[] = {
    "Aaliyah",  "Imani",     "Jasmine",  "Ebony",     "Keisha",    "Latoya",    "Tamika",   "Aisha",   "Nia",
    "Destiny",  "Diamond",   "Precious", "Kiara",     "Tiana",     "Jada",      "Zaria",    "Amari",   "Nevaeh",
    "Kennedy",  "Londyn",    "Khloe",    "Janelle",   "Monique",   "Tanisha",   "Shanice",  "Yolanda", "Danielle",
    "Brianna",  "Alexis",    "Ayana",    "Makayla",   "Dominique", "Raven",     "Tiara",    "Sierra",  "Kendra",
    "Adrienne", "Gwendolyn", "Bernice",  "Loretta",   "Mattie",    "Ernestine", "Odessa",   "Keyonna", "Anaya",
    "Zuri",     "Naomi",     "Maya",     "Gabrielle", "Ciara",     "Angela",    "Shirley",  "Dorothy", "Patricia",
    "Denise",   "Tasha",     "Crystal",  "Erica",     "Whitney",   "Kimberly",  "Michelle", "Tamara",  "Lakisha",
    "Shonda",   "Felicia",   "Valerie",  "Vivian",    "Rochelle",  "Sheryl",    "Jocelyn",  "Taylor",  "Morgan",
    "Kayla",    "Ariana",    "Layla",    "Skylar",    "Madison",   "Harmony",   "Serenity", "Trinity",
};
constexpr Names kAfricanAmericanMale[] = {
    "DeShawn",  "Jamal",     "Tyrone",    "Darnell",  "Malik",   "Andre",   "Marcus",   "Terrence", "Jerome",
    "Darius",   "Reginald",  "Cedric",    "Lamar",    "Dwayne",  "Kareem",  "Rashad",   "Jalen",    "Jaylen",
    "DeAndre",  "Tremaine",  "Xavier",    "Isaiah",   "Elijah",  "Micah",   "Khalil",   "Omari",    "Zion",
    "Kendrick", "Demetrius", "Cornelius", "Willie",   "Leroy",   "Otis",    "Clarence", "Alvin",    "Darryl",
    "Maurice",  "Rodney",    "Curtis",    "Derrick",  "Quentin", "Terrell", "Tavon",    "Kwame",    "Jabari",
    "Amir",     "Desmond",   "Marquise",  "Roderick", "Calvin",  "Vernon",  "Wendell",  "Lionel",   "Ernest",
    "Harold",   "James",     "Michael",   "Anthony",  "Kevin",   "Brandon", "Jordan",   "Justin",   "Christopher",
    "Robert",   "William",   "Charles",   "Corey",    "Antoine", "Dante",   "Jermaine", "Keith",    "Lance",
    "Marlon",   "Nathaniel", "Reggie",    "Samuel",   "Trevon",  "Tyrell",  "Ahmad",    "Bryson",
};
constexpr Names kAfricanAmericanFamily[] = {
    "Washington", "Jefferson", "Jackson",  "Johnson", "Williams",  "Brown",   "Davis",        "Harris",
    "Robinson",   "Thomas",    "Banks",    "Booker",  "Freeman",   "Jenkins", "Coleman",      "Bryant",
    "Simmons",    "Gaines",    "Mack",     "Battle",  "Boone",     "Dorsey",  "Toussaint",    "Hairston",
    "Fulton",     "Whitfield", "Holloway", "Gaskins", "Mosley",    "Rivers",  "Merriweather", "Ruffin",
    "Singleton",  "Wiggins",   "Oliver",   "Tate",    "Pryor",     "Lyles",   "Hampton",      "Jamison",
    "McCoy",      "Guidry",    "Hollins",  "Bynum",   "Cheatham",  "Ransom",  "Spivey",       "Baptiste",
    "Grier",      "Dukes",     "Farmer",   "Ingram",  "Lattimore", "Redd",    "Staton",       "Tolliver",
    "Weathers",   "Woodson",   "Gilliam",  "Swann",   "Crenshaw",  "Bledsoe", "Goins",        "Haywood",
    "Kimble",     "Manning",   "Mayfield", "Ridley",  "Sykes",     "Tillman", "Upshaw",       "Whitaker",
    "Poindexter", "Alston",    "Blount",   "Carver",  "Easley",    "Gadson",  "Hardaway",     "Jeter",
    "Little",     "Moten",     "Nash",     "Parrish", "Wright",    "Walker",  "Green",        "Carter",
    "Mitchell",   "Turner",    "Scott",    "Moore",   "Taylor",    "Lewis",   "Jones",        "Smith",
    "Bell",       "Howard",    "Butler",   "Glover",
};

// ---- Chinese --------------------------------------------------------------------------------
constexpr Names kChineseFemale[] = {
    "Mei",      "Ling",    "Hui",    "Yan",     "Jing",   "Xin",   "Yu",    "Lan",     "Hong",    "Qing",
    "Xiaoling", "Meiling", "Yuting", "Jiayi",   "Zihan",  "Yuxin", "Xinyi", "Shufen",  "Lihua",   "Xiuying",
    "Fang",     "Na",      "Min",    "Li",      "Ying",   "Wen",   "Jie",   "Rui",     "Hua",     "Ping",
    "Grace",    "Amy",     "Jenny",  "Vivian",  "Angela", "Cindy", "Helen", "Irene",   "Joyce",   "Michelle",
    "Winnie",   "Karen",   "Emily",  "Jessica", "Annie",  "Alice", "Iris",  "Crystal", "Tiffany", "Sophie",
};
constexpr Names kChineseMale[] = {
    "Wei",    "Jun",    "Hao",    "Ming",   "Jian",    "Lei",     "Tao",      "Yong",     "Qiang",   "Bo",
    "Zhiwei", "Haoran", "Yichen", "Zihao",  "Junjie",  "Jianhua", "Guoqiang", "Xiaoming", "Jianguo", "Zhiqiang",
    "Peng",   "Chao",   "Gang",   "Bin",    "Kai",     "Feng",    "Long",     "Jie",      "Yang",    "Xin",
    "Kevin",  "Jason",  "Eric",   "Andrew", "Michael", "David",   "Alan",     "Raymond",  "Vincent", "Peter",
    "Henry",  "Jimmy",  "Tony",   "Frank",  "Johnny",  "Steven",  "Victor",   "Edward",   "Ken",     "Patrick",
};
constexpr Names kChineseFamily[] = {
    "Wang",  "Li",   "Zhang", "Liu",   "Chen",  "Yang", "Huang", "Zhao", "Wu",    "Zhou",   "Xu",    "Sun",
    "Ma",    "Zhu",  "Hu",    "Guo",   "He",    "Lin",  "Luo",   "Gao",  "Zheng", "Liang",  "Xie",   "Tang",
    "Han",   "Feng", "Deng",  "Cao",   "Peng",  "Zeng", "Xiao",  "Tian", "Dong",  "Pan",    "Yuan",  "Cai",
    "Jiang", "Yu",   "Du",    "Ye",    "Cheng", "Wei",  "Su",    "Lu",   "Ding",  "Ren",    "Shen",  "Yao",
    "Fang",  "Jin",  "Qiu",   "Tan",   "Chan",  "Wong", "Chang", "Lee",  "Ng",    "Cheung", "Leung", "Lau",
    "Yip",   "Kwok", "Chow",  "Tsang", "Fung",  "Mak",  "Ho",    "Lam",  "Tse",   "Szeto",
};

// ---- Korean ---------------------------------------------------------------------------------
constexpr Names kKoreanFemale[] = {
    "Seo-yeon", "Min-ji",   "Ji-yeon",   "Eun-ji",  "Soo-jin",   "Hye-jin", "Yuna",   "Ha-eun",    "Ji-min",  "Da-eun",
    "Hyun-joo", "Mi-kyung", "Young-hee", "Sun-hee", "Jung-eun",  "Ji-woo",  "Seo-ah", "Eun-young", "Hye-won", "Soo-ah",
    "Grace",    "Esther",   "Sarah",     "Hannah",  "Christine", "Julie",   "Sunny",  "Jennifer",  "Rachel",  "Jane",
};
constexpr Names kKoreanMale[] = {
    "Min-jun",  "Seo-jun",    "Ji-hoon",   "Hyun-woo", "Jae-won",   "Sung-min", "Dong-hyun", "Joon-ho",
    "Tae-yang", "Sang-woo",   "Young-soo", "Jin-ho",   "Kyung-soo", "Do-yoon",  "Si-woo",    "Jae-hyun",
    "Min-ho",   "Seung-hoon", "Woo-jin",   "Hyun-jun", "Daniel",    "Paul",     "Joseph",    "David",
    "Samuel",   "Andrew",     "John",      "Peter",    "Steve",     "Brian",
};
constexpr Names kKoreanFamily[] = {
    "Kim",   "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han",  "Oh",  "Seo", "Shin", "Kwon",
    "Hwang", "Ahn", "Song", "Yoo",  "Hong", "Jeon", "Ko",  "Moon", "Yang", "Son", "Baek", "Heo", "Nam", "Noh",  "Ha",
};

// ---- Japanese -------------------------------------------------------------------------------
constexpr Names kJapaneseFemale[] = {
    "Yuki", "Haruka", "Aiko", "Emi", "Keiko", "Naomi",  "Sakura",  "Yumi",   "Mika",  "Akiko",
    "Hana", "Yui",    "Rin",  "Mei", "Kaori", "Noriko", "Sachiko", "Tomoko", "Ayumi", "Megumi",
};
constexpr Names kJapaneseMale[] = {
    "Hiroshi", "Takeshi", "Kenji",  "Satoshi", "Daisuke", "Kenta",  "Yuto",    "Haruto", "Akira", "Makoto",
    "Ren",     "Sota",    "Yamato", "Kazuo",   "Masato",  "Shinji", "Tetsuya", "Yusuke", "Koji",  "Ryo",
};
constexpr Names kJapaneseFamily[] = {
    "Sato",      "Suzuki",  "Takahashi", "Tanaka", "Watanabe", "Ito",       "Yamamoto",  "Nakamura",
    "Kobayashi", "Kato",    "Yoshida",   "Yamada", "Sasaki",   "Yamaguchi", "Matsumoto", "Inoue",
    "Kimura",    "Hayashi", "Shimizu",   "Mori",   "Abe",      "Ikeda",     "Hashimoto", "Ishikawa",
    "Ogawa",     "Fujita",  "Okada",     "Goto",   "Hasegawa", "Murakami",
};

// ---- Vietnamese -----------------------------------------------------------------------------
constexpr Names kVietnameseFemale[] = {
    "Linh", "Lan",   "Mai",  "Huong", "Thao",  "Trang", "Ngoc", "Anh",  "Hoa",   "Phuong",
    "Thu",  "Hanh",  "Nga",  "Hien",  "Tuyet", "Kim",   "Vy",   "My",   "Nhung", "Diep",
    "Yen",  "Thanh", "Uyen", "Quynh", "Tram",  "Xuan",  "Hang", "Loan", "Oanh",  "Chi",
};
constexpr Names kVietnameseMale[] = {
    "Minh",  "Tuan", "Hung",  "Dung", "Nam",  "Long",  "Quang", "Huy",   "Thanh", "Duc",
    "Hai",   "Khoa", "Phuc",  "Bao",  "Vinh", "Son",   "Trung", "Cuong", "Hieu",  "Tri",
    "Khanh", "Dat",  "Thinh", "Loc",  "Tam",  "Phong", "Viet",  "An",    "Hoang", "Kien",
};
constexpr Names kVietnameseFamily[] = {
    "Nguyen", "Tran",  "Le",    "Pham", "Hoang", "Huynh", "Phan",   "Vu",   "Vo",  "Dang",
    "Bui",    "Do",    "Ho",    "Ngo",  "Duong", "Ly",    "Truong", "Dinh", "Lam", "Mai",
    "Ta",     "Trinh", "Luong", "Cao",  "Quach", "Chau",  "La",     "Thai", "Lu",  "Doan",
};

// ---- Filipino -------------------------------------------------------------------------------
constexpr Names kFilipinoFemale[] = {
    "Maria",   "Cristina",   "Maricel",    "Rowena",   "Jocelyn",  "Rosalind",  "Marilou",   "Analyn",
    "Lorna",   "Evangeline", "Rhea",       "Kristine", "Jasmine",  "Angelica",  "Princess",  "Divina",
    "Corazon", "Imelda",     "Luzviminda", "Erlinda",  "Teresita", "Rosemarie", "Charmaine", "Janine",
    "Lovely",  "Marites",    "Nenita",     "Perla",    "Rosario",  "Shiela",
};
constexpr Names kFilipinoMale[] = {
    "Jose",    "Rodel", "Ramon",    "Mark",   "Jomar", "Arnel",   "Rodrigo", "Ferdinand", "Reynaldo", "Danilo",
    "Rogelio", "Jun",   "Emmanuel", "Benjie", "Joel",  "Romeo",   "Ariel",   "Noel",      "Edgardo",  "Renato",
    "Alvin",   "Bong",  "Carlo",    "Dindo",  "Efren", "Gilbert", "Jerome",  "Marlon",    "Nestor",   "Rommel",
};
constexpr Names kFilipinoFamily[] = {
    "Santos",  "Reyes",   "Cruz",      "Bautista", "Ocampo",     "Garcia",  "Mendoza", "Torres",
    "Tomas",   "Andrada", "Castillo",  "Flores",   "Villanueva", "Ramos",   "Castro",  "Rivera",
    "Aquino",  "Navarro", "Salazar",   "Mercado",  "Dela Cruz",  "De Leon", "Manalo",  "Pascual",
    "Soriano", "Dizon",   "Tolentino", "Lacson",   "Gonzales",   "Agustin", "Marquez", "Lim",
    "Tan",     "Sy",      "Macaraeg",  "Magbanua", "Panganiban", "Sison",   "Umali",   "Valdez",
};

// ---- South Asian ----------------------------------------------------------------------------
constexpr Names kSouthAsianFemale[] = {
    "Priya",  "Anjali", "Aditi",  "Ananya",  "Deepa",  "Divya",   "Kavya",    "Lakshmi",  "Meera",  "Neha",
    "Pooja",  "Radha",  "Riya",   "Sanjana", "Shreya", "Sunita",  "Swati",    "Tanvi",    "Aarti",  "Asha",
    "Geeta",  "Indira", "Jaya",   "Kiran",   "Nisha",  "Pallavi", "Rekha",    "Sapna",    "Uma",    "Vandana",
    "Fatima", "Ayesha", "Sana",   "Zara",    "Farah",  "Nadia",   "Harpreet", "Gurpreet", "Simran", "Manpreet",
    "Anika",  "Diya",   "Ishita", "Kritika", "Madhu",  "Nandini", "Padma",    "Preeti",   "Rohini", "Shalini",
};
constexpr Names kSouthAsianMale[] = {
    "Raj",      "Rahul",  "Amit",   "Arjun",   "Vikram", "Sanjay",   "Rohan",    "Aditya",    "Anil",    "Deepak",
    "Ravi",     "Suresh", "Ramesh", "Karthik", "Vijay",  "Nikhil",   "Pranav",   "Siddharth", "Varun",   "Vivek",
    "Arun",     "Ashok",  "Manoj",  "Prakash", "Rajesh", "Srinivas", "Venkat",   "Harish",    "Imran",   "Ali",
    "Omar",     "Faisal", "Tariq",  "Hamza",   "Bilal",  "Harjit",   "Jaspreet", "Manjit",    "Sandeep", "Gurdeep",
    "Abhishek", "Ajay",   "Dev",    "Gautam",  "Kunal",  "Mohan",    "Naveen",   "Pradeep",   "Sameer",  "Vinod",
};
constexpr Names kSouthAsianFamily[] = {
    "Patel",     "Shah",     "Sharma",     "Singh",    "Kumar",   "Gupta",       "Reddy",      "Rao",        "Iyer",
    "Nair",      "Menon",    "Pillai",     "Krishnan", "Raman",   "Subramanian", "Venkatesan", "Chatterjee", "Banerjee",
    "Mukherjee", "Das",      "Bose",       "Ghosh",    "Sen",     "Desai",       "Mehta",      "Joshi",      "Kulkarni",
    "Deshpande", "Agarwal",  "Jain",       "Chopra",   "Kapoor",  "Malhotra",    "Khanna",     "Bhatia",     "Sethi",
    "Arora",     "Gill",     "Sandhu",     "Dhillon",  "Grewal",  "Sidhu",       "Khan",       "Ahmed",      "Hussain",
    "Qureshi",   "Siddiqui", "Chaudhry",   "Mirza",    "Rahman",  "Hossain",     "Islam",      "Choudhury",  "Varghese",
    "Mathew",    "Kurian",   "Naidu",      "Bhatt",    "Trivedi", "Pandey",      "Mishra",     "Tiwari",     "Yadav",
    "Verma",     "Saxena",   "Srivastava", "Chandra",  "Ganguly", "Parekh",      "Thakkar",
};

// ---- Middle Eastern (Arab, Persian, Turkish) ------------------------------------------------
constexpr Names kMiddleEasternFemale[] = {
    "Fatima", "Aisha",  "Mariam", "Layla",  "Noor",    "Yasmin", "Leila",  "Zainab", "Huda",   "Rania",
    "Salma",  "Amira",  "Dina",   "Hala",   "Lina",    "Rana",   "Reem",   "Samira", "Nadia",  "Jana",
    "Sara",   "Maryam", "Shirin", "Parisa", "Nazanin", "Roya",   "Azadeh", "Elif",   "Zeynep", "Ayse",
    "Hiba",   "Iman",   "Lubna",  "Mona",   "Nour",    "Rasha",  "Suha",   "Wafa",   "Yara",   "Zahra",
};
constexpr Names kMiddleEasternMale[] = {
    "Mohammed", "Ahmed",  "Ali",   "Omar",    "Yusuf",   "Khalid", "Hassan", "Hussein", "Ibrahim", "Mahmoud",
    "Mustafa",  "Karim",  "Samir", "Tariq",   "Walid",   "Ziad",   "Bilal",  "Fadi",    "Nabil",   "Rami",
    "Sami",     "Amir",   "Reza",  "Mehdi",   "Dariush", "Kian",   "Arash",  "Emre",    "Mehmet",  "Burak",
    "Adel",     "Bassam", "Fouad", "Georges", "Hadi",    "Issa",   "Jamil",  "Majid",   "Nasser",  "Elias",
};
constexpr Names kMiddleEasternFamily[] = {
    "Haddad",  "Khoury",  "Nassar",   "Saleh",  "Hamdan", "Mansour",  "Aziz",    "Abboud",   "Darwish",  "Farah",
    "Habib",   "Ibrahim", "Jaber",    "Kassab", "Khalil", "Malouf",   "Nader",   "Odeh",     "Qasim",    "Rahal",
    "Sabbagh", "Shaheen", "Tannous",  "Yousef", "Zaher",  "Al-Masri", "Al-Amin", "El-Sayed", "Abdullah", "Hakimi",
    "Tehrani", "Karimi",  "Hosseini", "Rahimi", "Moradi", "Jafari",   "Ahmadi",  "Rostami",  "Yilmaz",   "Kaya",
    "Demir",   "Sahin",   "Celik",    "Aydin",  "Ozturk", "Bishara",  "Chalabi", "Hijazi",   "Awad",     "Suleiman",
};

// ---- Eastern European -----------------------------------------------------------------------
constexpr Names kEasternEuropeanFemale[] = {
    "Anna",      "Olga",  "Natalia",  "Irina",   "Svetlana",  "Elena",     "Tatiana",    "Yulia",
    "Ekaterina", "Maria", "Oksana",   "Ludmila", "Galina",    "Marina",    "Anastasia",  "Daria",
    "Polina",    "Alina", "Viktoria", "Ksenia",  "Agnieszka", "Katarzyna", "Małgorzata", "Magdalena",
    "Joanna",    "Ewa",   "Dorota",   "Barbara", "Zofia",     "Krystyna",  "Jana",       "Petra",
    "Lenka",     "Iveta", "Milena",   "Vesna",   "Jelena",    "Dragana",   "Ioana",      "Mihaela",
};
constexpr Names kEasternEuropeanMale[] = {
    "Dmitri", "Sergei", "Alexei",    "Andrei", "Ivan",   "Nikolai", "Vladimir", "Mikhail", "Yuri",   "Pavel",
    "Oleg",   "Igor",   "Viktor",    "Boris",  "Maxim",  "Artem",   "Denis",    "Roman",   "Taras",  "Bohdan",
    "Piotr",  "Tomasz", "Krzysztof", "Paweł",  "Marek",  "Jan",     "Wojciech", "Michał",  "Łukasz", "Jakub",
    "Tomáš",  "Jiří",   "Milan",     "Stefan", "Dragan", "Goran",   "Nikola",   "Zoran",   "Mihai",  "Zbigniew",
};
constexpr Names kEasternEuropeanFamily[] = {
    "Ivanov",     "Petrov",        "Smirnov",   "Kuznetsov", "Popov",       "Sokolov",    "Lebedev",    "Kozlov",
    "Novikov",    "Morozov",       "Volkov",    "Solovyov",  "Vasiliev",    "Zaitsev",    "Pavlov",     "Semenov",
    "Golubev",    "Vinogradov",    "Bogdanov",  "Orlov",     "Kovalenko",   "Shevchenko", "Bondarenko", "Tkachenko",
    "Kravchenko", "Melnyk",        "Boyko",     "Moroz",     "Lysenko",     "Marchenko",  "Nowak",      "Kowalski",
    "Wiśniewski", "Wójcik",        "Kowalczyk", "Kamiński",  "Lewandowski", "Zieliński",  "Szymański",  "Woźniak",
    "Dąbrowski",  "Kozłowski",     "Jankowski", "Mazur",     "Krawczyk",    "Novák",      "Svoboda",    "Dvořák",
    "Černý",      "Procházka",     "Horvat",    "Kovačević", "Petrović",    "Jovanović",  "Nikolić",    "Popescu",
    "Ionescu",    "Wojciechowski", "Grabowski", "Pawlak",
};

// ---- Portuguese and Brazilian ---------------------------------------------------------------
constexpr Names kPortugueseFemale[] = {
    "Ana",      "Beatriz", "Fernanda", "Juliana", "Luana",   "Mariana", "Camila", "Gabriela",  "Larissa", "Letícia",
    "Patrícia", "Renata",  "Tatiana",  "Vanessa", "Adriana", "Cláudia", "Débora", "Francisca", "Graça",   "Isabela",
};
constexpr Names kPortugueseMale[] = {
    "João",     "Pedro",   "Lucas", "Gabriel", "Rafael",   "Thiago", "Bruno", "Felipe",  "Gustavo", "Rodrigo",
    "Leonardo", "Marcelo", "Paulo", "Ricardo", "Vinícius", "Fábio",  "André", "Eduardo", "Sérgio",  "Tiago",
};
constexpr Names kPortugueseFamily[] = {
    "Silva",    "Santos",   "Oliveira", "Souza",      "Pereira", "Costa",    "Ferreira", "Almeida",
    "Carvalho", "Gomes",    "Martins",  "Araújo",     "Ribeiro", "Barbosa",  "Rocha",    "Lima",
    "Cardoso",  "Teixeira", "Correia",  "Nascimento", "Moreira", "Mendes",   "Pinto",    "Cavalcanti",
    "Monteiro", "Freitas",  "Machado",  "Batista",    "Fonseca", "Medeiros",
};

constexpr Names kNoLanguages[] = {"en"};
constexpr Names kSpanish[] = {"es"};
constexpr Names kChineseLanguages[] = {"zh", "zh", "zh", "yue"};
constexpr Names kKoreanLanguages[] = {"ko"};
constexpr Names kJapaneseLanguages[] = {"ja"};
constexpr Names kVietnameseLanguages[] = {"vi"};
constexpr Names kFilipinoLanguages[] = {"tl"};
constexpr Names kSouthAsianLanguages[] = {"hi", "hi", "ur", "pa", "bn", "gu", "ta"};
constexpr Names kMiddleEasternLanguages[] = {"ar", "ar", "ar", "fa", "tr"};
constexpr Names kEasternEuropeanLanguages[] = {"ru", "ru", "uk", "pl"};
constexpr Names kPortugueseLanguages[] = {"pt-BR", "pt-BR", "pt"};

// Indexed by Heritage.
const std::array<NamePool, kHeritageCount> kPools = {{
    {kAngloFemale, kAngloMale, kAngloFamily, kNoLanguages, 0.0, false},
    {kHispanicFemale, kHispanicMale, kHispanicFamily, kSpanish, 0.35, false},
    {kAfricanAmericanFemale, kAfricanAmericanMale, kAfricanAmericanFamily, kNoLanguages, 0.0, false},
    {kChineseFemale, kChineseMale, kChineseFamily, kChineseLanguages, 0.35, false},
    {kKoreanFemale, kKoreanMale, kKoreanFamily, kKoreanLanguages, 0.3, false},
    {kJapaneseFemale, kJapaneseMale, kJapaneseFamily, kJapaneseLanguages, 0.2, false},
    {kVietnameseFemale, kVietnameseMale, kVietnameseFamily, kVietnameseLanguages, 0.4, false},
    {kFilipinoFemale, kFilipinoMale, kFilipinoFamily, kFilipinoLanguages, 0.15, false},
    {kSouthAsianFemale, kSouthAsianMale, kSouthAsianFamily, kSouthAsianLanguages, 0.12, false},
    {kMiddleEasternFemale, kMiddleEasternMale, kMiddleEasternFamily, kMiddleEasternLanguages, 0.25, false},
    {kEasternEuropeanFemale, kEasternEuropeanMale, kEasternEuropeanFamily, kEasternEuropeanLanguages, 0.3, true},
    {kPortugueseFemale, kPortugueseMale, kPortugueseFamily, kPortugueseLanguages, 0.35, false},
}};

// Indexed by Heritage; sums to 1.
constexpr double kShares[kHeritageCount] = {0.45,  0.19,  0.12,  0.03,  0.012, 0.006,
                                            0.015, 0.015, 0.035, 0.022, 0.035, 0.02};

constexpr Names kStreetNames[] = {
    "Main",          "Oak",       "Maple",
    "Cedar",         "Pine",      "Elm",
    "Washington",    "Lake",      "Hill",
    "Park",          "Walnut",    "Sunset",
    "Lincoln",       "Jefferson", "Madison",
    "Franklin",      "Highland",  "Church",
    "Spring",        "Ridge",     "Willow",
    "Chestnut",      "Jackson",   "Adams",
    "Center",        "Union",     "River",
    "Forest",        "Meadow",    "Prospect",
    "Grove",         "Mill",      "Railroad",
    "Summit",        "Valley",    "Bay",
    "Broad",         "Market",    "Liberty",
    "Maplewood",     "Birch",     "Hickory",
    "Magnolia",      "Sycamore",  "Dogwood",
    "Laurel",        "Poplar",    "Aspen",
    "Juniper",       "Cherry",    "Orchard",
    "Garden",        "Harbor",    "Bridge",
    "Hillside",      "Lakeview",  "Fairview",
    "Greenwood",     "Woodland",  "Riverside",
    "Kingston",      "Wilson",    "Grant",
    "Monroe",        "Hamilton",  "Cleveland",
    "Roosevelt",     "Kennedy",   "Martin Luther King Jr",
    "Cesar Chavez",  "Pleasant",  "College",
    "University",    "School",    "Academy",
    "Mountain View", "Canyon",    "Mesa",
    "Vista",         "Ocean",     "Beach",
    "Palm",          "Olive",     "Sierra",
    "Colorado",      "Western",   "Central",
    "Halsted",       "Ashland",   "Fulton",
    "Atlantic",      "Flatbush",  "Bedford",
    "Lexington",     "Amsterdam", "Columbus",
    "Fremont",
};
constexpr Names kStreetSuffixes[] = {"St", "St", "St", "Ave", "Ave", "Ave", "Rd",  "Blvd",
                                     "Dr", "Ln", "Ct", "Pl",  "Way", "Ter", "Pkwy"};

}  // namespace

const NamePool& NamesOf(Heritage heritage) { return kPools[static_cast<size_t>(heritage)]; }

std::span<const double> HeritageShares() { return kShares; }

std::span<const std::string_view> StreetNames() { return kStreetNames; }
std::span<const std::string_view> StreetSuffixes() { return kStreetSuffixes; }

}  // namespace caredesk::demo
