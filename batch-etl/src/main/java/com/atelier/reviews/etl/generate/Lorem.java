package com.atelier.reviews.etl.generate;

import java.util.SplittableRandom;

/** Text like the client's (faker's lorem ipsum, user names, e-mail addresses, seller responses), from a seeded random. */
final class Lorem {

    private static final String[] WORDS = ("a ab accusamus ad adipisci alias aliquam amet animi aperiam architecto "
            + "asperiores aspernatur assumenda at atque aut autem beatae blanditiis commodi consequatur consequuntur "
            + "corporis corrupti culpa cum cumque cupiditate debitis delectus deleniti deserunt dicta dignissimos "
            + "distinctio dolor dolore dolorem doloremque dolores doloribus dolorum ducimus ea eaque earum eius eligendi "
            + "enim eos error esse est et eum eveniet ex excepturi exercitationem expedita explicabo facere facilis fuga "
            + "fugiat fugit harum hic id illo illum impedit in incidunt inventore ipsa ipsam ipsum iste itaque iure "
            + "iusto labore laboriosam laborum laudantium libero magnam magni maiores maxime minima minus modi molestiae "
            + "molestias mollitia nam natus necessitatibus nemo neque nesciunt nihil nisi nobis non nostrum nulla numquam "
            + "obcaecati odio odit officia officiis omnis optio pariatur perferendis perspiciatis placeat porro possimus "
            + "praesentium provident quae quaerat quam quas quasi qui quia quibusdam quidem quis quisquam quo quod quos "
            + "ratione recusandae reiciendis rem repellat repellendus reprehenderit repudiandae rerum saepe sapiente sed "
            + "sequi similique sint sit soluta sunt suscipit tempora tempore temporibus tenetur totam ullam unde ut "
            + "vel velit veniam veritatis vero vitae voluptas voluptate voluptatem voluptates voluptatibus voluptatum")
            .split(" ");
    private static final String[] FIRST = ("Aaliyah Abe Ada Adrian Alba Alec Alva Amara Amos Ana Anika Ari Arlo Ayla "
            + "Beau Bella Bo Brisa Cade Cara Cleo Cody Dara Dax Dell Demi Eli Ella Elmo Emil Enzo Eva Fay Finn Gia Gus "
            + "Hal Ida Ike Isla Ivy Jae Jax Joy Kai Kira Lea Leo Lia Lola Lou Mae Max Mia Milo Nia Noa Ola Otto Pia "
            + "Quinn Rae Rex Rio Rosa Sal Sky Tao Tess Uma Vance Vera Wes Xena Yara Zed Zoe Marquise Jovany Kamren")
            .split(" ");
    private static final String[] LAST = ("Abbott Bahringer Bartell Beer Bode Boyle Brakus Collins Cronin Daniel "
            + "Dicki Ebert Feest Fisher Gislason Grady Hahn Hansen Hirthe Howe Jast Kemmer Koss Kuhn Lakin Lind Mann "
            + "Marks Mills Moen Nader Nolan Ortiz Pouros Rau Reilly Rippin Rowe Sauer Schmidt Stark Torp Upton Veum "
            + "Walsh Wehner Wolf Yost Zboncak Ziemann").split(" ");
    private static final String[] DOMAINS = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com"};
    private static final String[] RESPONSES = {
            "Glad you're enjoying the product!",
            "Thank you for your feedback, we're sorry it didn't fit.",
            "We're happy to help - please contact our support team.",
            "Thanks for the review! Our size chart has been updated.",
            "Sorry to hear that. A replacement is on its way, no charge.",
    };

    private final SplittableRandom random;

    Lorem(SplittableRandom random) {
        this.random = random;
    }

    String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    /** A capitalized sentence of {@code min}..{@code max} words with an occasional comma, ending in '.' or '!'. */
    StringBuilder sentence(StringBuilder b, int min, int max) {
        int n = min + random.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            String w = word();
            if (i == 0) {
                b.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
            } else {
                b.append(' ').append(w);
            }
            if (i < n - 1 && random.nextInt(12) == 0) {
                b.append(',');
            }
        }
        return b.append(random.nextInt(8) == 0 ? '!' : '.');
    }

    String summary() {
        return sentence(new StringBuilder(48), 3, 7).toString();
    }

    /** 1 to 6 sentences; now and then a quoted word (doubled quotes in the file) or a line break (a multi-line field). */
    String body() {
        StringBuilder b = new StringBuilder(320);
        int sentences = 1 + random.nextInt(6);
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                b.append(random.nextInt(60) == 0 ? "\n" : "  ");
            }
            sentence(b, 5, 14);
        }
        if (random.nextInt(25) == 0) {
            b.append(" I'd call it \"").append(word()).append("\".");
        }
        return b.toString();
    }

    String userName() {
        return switch (random.nextInt(3)) {
            case 0 -> pick(FIRST) + "_" + pick(LAST);
            case 1 -> pick(FIRST) + pick(LAST) + random.nextInt(100);
            default -> word() + word() + word();
        };
    }

    String email() {
        return pick(FIRST) + "." + pick(LAST) + "@" + pick(DOMAINS);
    }

    String response() {
        return pick(RESPONSES);
    }

    /** 3 to 5 characteristics (3.35 on average, like the client's 3,347,679 for 1,000,011 products). */
    String[] characteristics() {
        int r = random.nextInt(100);
        if (r < 70) {
            return random.nextBoolean() ? new String[] {"Fit", "Comfort", "Quality"}
                    : new String[] {"Size", "Width", "Quality"};
        }
        if (r < 95) {
            return random.nextBoolean() ? new String[] {"Fit", "Length", "Comfort", "Quality"}
                    : new String[] {"Size", "Width", "Comfort", "Quality"};
        }
        return new String[] {"Fit", "Length", "Comfort", "Quality", "Width"};
    }

    /** An Unsplash URL like the client's, with '&' and '=' in it. */
    String photoUrl() {
        long stamp = 1_440_000_000_000L + random.nextLong(120_000_000_000L);
        return "https://images.unsplash.com/photo-" + stamp + "-" + Long.toHexString(random.nextLong(1L << 48))
                + "?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=" + (600 + random.nextInt(2400))
                + "&q=80";
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
