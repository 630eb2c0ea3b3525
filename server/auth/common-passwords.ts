/*
 * Passwords too common to be a staff member's own: the head of the public leaked-password
 * rankings (SecLists' most common, which rockyou and similar leaks agree on), Russian
 * favourites typed as such ('пароль', 'йцукен' and the other keyboard rows), Russian words typed
 * on the Latin layout ('gfhjkm' is 'пароль'), and the demo logins' passwords printed in README.
 * Lower case; compared after folding case and keyboard layout (password-rules.ts). Short ones
 * are kept although the length rule already refuses them: with a suffix they still count.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', 'password', '12345678', 'qwerty', '123456789', '12345', '1234', '111111', '1234567', 'dragon', '123123',
  'baseball', 'abc123', 'football', 'monkey', 'letmein', '696969', 'shadow', 'master', '666666', 'qwertyuiop',
  '123321', 'mustang', '1234567890', 'michael', '654321', 'pussy', 'superman', '1qaz2wsx', '7777777', 'fuckyou',
  '121212', '000000', 'qazwsx', '123qwe', 'killer', 'trustno1', 'jordan', 'jennifer', 'zxcvbnm', 'asdfgh', 'hunter',
  'buster', 'soccer', 'harley', 'batman', 'andrew', 'tigger', 'sunshine', 'iloveyou', 'fuckme', '2000', 'charlie',
  'robert', 'thomas', 'hockey', 'ranger', 'daniel', 'starwars', 'klaster', '112233', 'george', 'asshole', 'computer',
  'michelle', 'jessica', 'pepper', '1111', 'zxcvbn', '555555', '11111111', '131313', 'freedom', '777777', 'pass',
  'maggie', '159753', 'aaaaaa', 'ginger', 'princess', 'joshua', 'cheese', 'amanda', 'summer', 'love', 'ashley', '6969',
  'nicole', 'chelsea', 'biteme', 'matthew', 'access', 'yankees', '987654321', 'dallas', 'austin', 'thunder', 'taylor',
  'matrix', 'minecraft', 'william', 'corvette', 'hello', 'martin', 'heather', 'secret', 'merlin', 'diamond',
  '1234qwer', 'gfhjkm', 'hammer', 'silver', '222222', '88888888', 'anthony', 'justin', 'test', 'bailey', 'q1w2e3r4t5',
  'patrick', 'internet', 'scooter', 'orange', '11111', 'golfer', 'cookie', 'richard', 'samantha', 'bigdog', 'guitar',
  'jackson', 'whatever', 'mickey', 'chicken', 'sparky', 'snoopy', 'maverick', 'phoenix', 'camaro', 'peanut', 'morgan',
  'welcome', 'falcon', 'cowboy', 'ferrari', 'samsung', 'andrea', 'smokey', 'steelers', 'joseph', 'mercedes', 'dakota',
  'arsenal', 'eagles', 'melissa', 'boomer', 'booboo', 'spider', 'nascar', 'monster', 'tigers', 'yellow', 'xxxxxx',
  '123123123', 'gateway', 'marina', 'diablo', 'bulldog', 'qwer1234', 'compaq', 'purple', 'hardcore', 'banana',
  'junior', 'hannah', '123654', 'porsche', 'lakers', 'iceman', 'money', 'cowboys', '987654', 'london', 'tennis',
  '999999', 'ncc1701', 'coffee', 'scooby', '0000', 'miller', 'boston', 'q1w2e3r4', 'brandon', 'yamaha', 'chester',
  'mother', 'forever', 'johnny', 'edward', '333333', 'oliver', 'redsox', 'player', 'nikita', 'knight', 'fender',
  'barney', 'midnight', 'please', 'brandy', 'chicago', 'badboy', 'slayer', 'rangers', 'charles', 'angel', 'flower',
  'rabbit', 'wizard', 'bigdick', 'jasper', 'enter', 'rachel', 'chris', 'steven', 'winner', 'adidas', 'victoria',
  'natasha', '1q2w3e4r', 'jasmine', 'winter', 'prince', 'panties', 'marine', 'ghbdtn', 'fishing', 'cocacola', 'casper',
  'james', '232323', 'raiders', '888888', 'marlboro', 'gandalf', 'asdfasdf', 'crystal', '87654321', '12344321',
  'golden', '8675309', 'sexy', 'sexsex', 'apples', 'lovers', 'amateur', 'pookie', 'jackie', 'lolita', 'password1',
  'password12', 'password123', 'password1234', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'qwerty123', 'qwerty1', 'qwerty12',
  'qwerty1234', 'qwerty12345', 'qwerty123456', 'qwertyu', 'qwertyui', '1q2w3e', '1q2w3e4r5t', '1q2w3e4r5t6y',
  '1q2w3e4r5t6y7u', '1qaz2wsx3edc', 'zaq12wsx', 'zaq1zaq1', 'zaq1xsw2', 'asdfghjkl', 'asdfghjkl1', 'zxcvbnm123',
  'qweasdzxc', 'qweasd', '123qweasd', '123qweasdzxc', '1234554321', '0987654321', '1234512345', '12341234',
  '123454321', '1111111111', '0000000000', '2222222222', '5555555555', '7777777777', '9999999999', '1234567891',
  '12345678910', '123456789a', 'a123456789', '123456789q', 'abcdefghij', 'abcd1234', 'abc12345', 'iloveyou1',
  'iloveyou123', 'letmein123', 'welcome1', 'welcome123', 'admin', 'admin123', 'admin1234', 'administrator', 'root',
  'toor', 'changeme', 'changeme123', 'default', 'guest', 'user', '111222333', '123456123', '12qwaszx', '1qazxsw2',
  'google123', 'football1', 'baseball1', 'sunshine1', 'princess1', 'monkey123', 'dragon123', 'master123', 'shadow123',
  'superman1', 'batman123', 'michael1', 'charlie1', 'starwars1', 'computer1', 'liverpool', 'chelsea1', 'arsenal1',
  'manchester', 'spartak', 'zenit', 'spartak1', 'zenit1', 'cska', 'dinamo', 'lokomotiv', 'йцукен', 'йцукенг',
  'йцукенгш', 'йцукенгшщ', 'йцукенгшщз', 'йцукенгшщзхъ', 'фывапр', 'фывапро', 'фывапрол', 'фывапролд', 'фывапролдж',
  'фывапролджэ', 'ячсмит', 'ячсмить', 'ячсмитьбю', 'пароль', 'пароль1', 'пароль123', 'пароль1234', 'парольпароль',
  'привет', 'привет123', 'приветик', 'любовь', 'солнышко', 'наташа', 'максим', 'дмитрий', 'александр', 'сергей',
  'андрей', 'владимир', 'екатерина', 'анастасия', 'марина', 'светлана', 'татьяна', 'ольга', 'елена', 'ирина', 'россия',
  'москва', 'спартак', 'зенит', 'калининград', 'кенигсберг', 'котенок', 'зайка', 'рыбка', 'мамочка', 'qwertyйцукен',
  'йцукен123', '123йцукен', '1йцукен', 'gfhjkm123', 'gfhjkm1', 'ghbdtn123', 'kzkzkz', 'cfif', 'dkfl', 'vfhbyf',
  'yfnfif', 'vfrcbv', 'fktrcfylh', 'ctrhtn', 'vjcrdf', 'hjccbz', 'rjntyjr', 'pfqrf', 'cjkysirj', 'operator1-demo',
  'operator2-demo', 'supervisor1-demo', 'admin-demo',
]);
