package org.ypsync;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a compiled class refers to of ypsync, read from its constant pool: the classes it names (calls, fields, types
 * in signatures and annotations), the way the JVM resolves them. Comments and plain strings are not references.
 */
public final class ClassFiles {
    private static final Pattern YPSYNC_CLASS = Pattern.compile("org/ypsync/[A-Za-z0-9_/$-]+");

    private ClassFiles() {
    }

    /** The internal names ({@code org/ypsync/stage/UserStage}) of the ypsync classes a class file refers to. */
    public static Set<String> ypsyncReferences(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        Set<String> out = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> {
                    // Utf8: class names (CONSTANT_Class points here) and descriptors / signatures (Lorg/ypsync/X;)
                    Matcher m = YPSYNC_CLASS.matcher(in.readUTF());
                    while (m.find()) {
                        out.add(m.group());
                    }
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return out;
    }

    /** The package of an internal class name, dotted: {@code org/ypsync/stage/UserStage} is org.ypsync.stage. */
    public static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return internalName.substring(0, slash).replace('/', '.');
    }
}
