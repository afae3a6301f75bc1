package billswitch.admin;

/** Who is calling the admin API: a named identity with one role. */
public record AdminIdentity(String name, AdminRole role) {

    /** The built-in identity whose token is billswitch.admin-token (demo-admin in sandbox mode). */
    public static final String ROOT = "admin";

    public boolean is(AdminRole... roles) {
        for (AdminRole r : roles) {
            if (r == role) {
                return true;
            }
        }
        return false;
    }
}
